# R's survey package on the same rows as our estimate (benchmarks/against_r.py): for each column of
# the indicator table (one per question and option: 1 chose it, 0 did not, empty outside the
# question's base), survey::svyciprop(method = "beta") on an equal-weight design of the rows in the
# base. Writes one line per column (column, estimate, low, high) and the seconds the intervals took
# (the loop alone, not reading the file).
#   Rscript benchmarks/svyciprop.R indicators.csv out.csv conf_level
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(survey))
data <- read.csv(args[1], check.names = FALSE)
level <- as.numeric(args[3])
design <- svydesign(ids = ~1, weights = ~1, data = cbind(data, .w = 1))
columns <- names(data)
out <- data.frame(column = columns, estimate = NA_real_, low = NA_real_, high = NA_real_)
started <- proc.time()[["elapsed"]]
for (i in seq_along(columns)) {
  column <- columns[[i]]
  base <- subset(design, !is.na(data[[column]]))
  ci <- svyciprop(as.formula(paste0("~`", column, "`")), base, method = "beta", level = level)
  out$estimate[i] <- coef(ci)[[1]]
  out$low[i] <- confint(ci)[1]
  out$high[i] <- confint(ci)[2]
}
seconds <- proc.time()[["elapsed"]] - started
write.csv(out, args[2], row.names = FALSE)
cat(sprintf("%.6f\n", seconds))
