"""The release as a whole: its manifest, its promotion from the staging tree into
``results/{release}/``, and its verification.

In: every staged artifact and every input. Out: ``MANIFEST.json``, the published release, and the
verdict of a rerun against the release on record. Rules: ``manifest``
(``manifest.build_manifest``), ``promote`` (``promote.promote_release``) and ``verify``
(``verify.verify_release``).
"""
