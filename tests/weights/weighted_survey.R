# R's survey package on the rows and margins of tests/weights (the independent reference of our
# raking, trimming and weighted intervals):
#   Rscript weighted_survey.R data.csv margins.csv weights_out.csv intervals_out.csv lower upper
# data.csv: the margin variables (columns named in margins.csv) and one 0/1 column per question and
# option (empty outside the question's base), named question__option. margins.csv: variable,
# option, share. lower/upper: trimming bounds relative to the mean weight, or NA for none.
# Raking: rake() from equal weights (epsilon 1e-12); trimming: trimWeights(strict = TRUE); each
# column: svyciprop(method = "beta" and "logit") on svydesign(ids = ~1, weights = ~w) of the rows in
# its base.
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(survey))
data <- read.csv(args[1], check.names = FALSE, colClasses = "character")
margins <- read.csv(args[2], colClasses = c("character", "character", "numeric"))
lower <- suppressWarnings(as.numeric(args[5])); upper <- suppressWarnings(as.numeric(args[6]))
n <- nrow(data)
variables <- unique(margins$variable)
design <- svydesign(ids = ~1, weights = ~rep(1, n), data = data)
population <- lapply(variables, function(v) {
  m <- margins[margins$variable == v, ]
  frame <- data.frame(m$option, n * m$share)
  names(frame) <- c(v, "Freq")
  frame
})
raked <- rake(design, lapply(variables, function(v) as.formula(paste0("~`", v, "`"))), population,
              control = list(maxit = 1000, epsilon = 1e-12))
w <- weights(raked)
if (!is.na(lower) || !is.na(upper)) {
  m <- mean(w)
  raked <- trimWeights(raked, lower = if (is.na(lower)) -Inf else lower * m,
                       upper = if (is.na(upper)) Inf else upper * m, strict = TRUE)
  w <- weights(raked)
}
write.csv(data.frame(weight = sprintf("%.17g", w)), args[3], row.names = FALSE)
columns <- setdiff(names(data), variables)
out <- data.frame(column = columns)
for (name in c("share", "beta_low", "beta_high", "logit_low", "logit_high")) out[[name]] <- rep(NA_real_, length(columns))
for (i in seq_along(columns)) {
  base <- data[[columns[i]]] != ""
  rows <- data.frame(y = as.numeric(data[[columns[i]]][base]), w = w[base])
  d <- svydesign(ids = ~1, weights = ~w, data = rows)
  out$share[i] <- coef(svymean(~y, d))[[1]]
  if (out$share[i] > 0 && out$share[i] < 1) {
    out[i, c("beta_low", "beta_high")] <- attr(svyciprop(~y, d, method = "beta"), "ci")
    out[i, c("logit_low", "logit_high")] <- attr(svyciprop(~y, d, method = "logit"), "ci")
  }
}
write.csv(format(out, digits = 17), args[4], row.names = FALSE)
