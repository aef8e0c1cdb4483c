#!/usr/bin/env Rscript
## Extra reference values for the weighted/design-based, pairwise, exact and index
## statistics (surveykit.analysis.{raoscott,letters,exact,meantests,indices,multitests}).
## Run from the repository root:
##
##     Rscript tests/reference/make_reference_extra.R
##
## Reads only the data files written by make_reference.R (tests/reference/data/) and
## writes tests/reference/expected_extra.json (numbers as sprintf("%.17g"), full double
## precision; NA -> null). Deterministic: no random numbers are drawn.
## Every entry names its R call; see tests/reference/README_extra.md.

suppressPackageStartupMessages({ library(survey); library(jsonlite) })
args_all <- commandArgs(trailingOnly = FALSE)
script_file <- sub("^--file=", "", args_all[grep("^--file=", args_all)])
ref_dir <- if (length(script_file) == 1) dirname(normalizePath(script_file)) else
  file.path(getwd(), "tests", "reference")
data_dir <- file.path(ref_dir, "data")
num <- function(x) as.numeric(unname(x))

d <- read.csv(file.path(data_dir, "weighted.csv"), stringsAsFactors = FALSE, na.strings = "")
d$pos <- ifelse(is.na(d$item), NA, as.numeric(d$item %in% c(4, 5)))
## a variant with an empty cell: nobody in group D answers 5 (their 5s become 4s)
d$item_z <- ifelse(d$group == "D" & d$item %in% 5, 4L, d$item)
des <- svydesign(ids = ~1, weights = ~w, data = d)
des_fpc <- svydesign(ids = ~1, weights = ~w, fpc = ~N, data = d)
out <- list(meta = list(generator = "tests/reference/make_reference_extra.R",
                        r_version = R.version.string,
                        survey_version = as.character(packageVersion("survey"))))

sc <- function(f, design) {
  r <- svychisq(f, design)
  list(statistic = num(r$statistic), ndf = num(r$parameter[1]), ddf = num(r$parameter[2]),
       p_value = num(r$p.value))
}
out$svychisq <- list(
  item_group2 = sc(~item + group2, des),
  item_group_fpc = sc(~item + group, des_fpc),
  item_z_group_empty_cell = sc(~item_z + group, des),
  pos_group = sc(~pos + group, des),
  pos_group_unit_weights = sc(~pos + group, svydesign(ids = ~1, weights = ~1, data = d))
)

## weighted domain means of the 1-5 score by group, and design-based tests
bym <- svyby(~item, ~group, des, svymean, na.rm = TRUE)
ttests <- lapply(c("A", "B", "C", "D"), function(g) {
  d$in_g <- d$group == g
  dd <- svydesign(ids = ~1, weights = ~w, data = d)
  tt <- svyttest(item ~ in_g, dd)
  list(group = g, difference = num(tt$estimate), statistic = num(tt$statistic),
       df = num(tt$parameter), p_value = num(tt$p.value))
})
m <- svyglm(item ~ group, des)
rt <- regTermTest(m, ~group)
out$weighted_means <- list(
  call = "svyby(~item, ~group, des, svymean, na.rm = TRUE); svyttest(item ~ in_g, des); regTermTest(svyglm(item ~ group, des), ~group)",
  group = bym$group, mean = num(bym$item), se = num(SE(bym)),
  vs_rest = ttests,
  wald = list(statistic = num(rt$Ftest), df = num(rt$df), ddf = num(rt$ddf),
              p_value = num(rt$p))
)

## svyciprop with an FPC (n = 300 of N = 1000)
dsub_fpc <- subset(des_fpc, !is.na(item))
ci_fpc <- lapply(c("logit", "beta"), function(meth) {
  r <- svyciprop(~I(item %in% c(4, 5)), dsub_fpc, method = meth)
  list(method = meth, estimate = num(r), lower = num(attr(r, "ci")[1]),
       upper = num(attr(r, "ci")[2]))
})
out$ciprop_fpc <- ci_fpc

## pairwise column-proportion tests (letters): pooled z = prop.test without correction
x <- tapply(d$pos, d$group, sum, na.rm = TRUE)
n <- tapply(!is.na(d$pos), d$group, sum)
pw <- function(method) {
  m <- pairwise.prop.test(x, n, p.adjust.method = method, correct = FALSE)$p.value
  m  # lower triangle: rows B..D, columns A..C
}
out$pairwise <- list(
  call = "pairwise.prop.test(x, n, p.adjust.method = m, correct = FALSE)",
  groups = names(x), x = num(x), n = num(n),
  p_none = unname(pw("none")), p_holm = unname(pw("holm")),
  p_bonferroni = unname(pw("bonferroni"))
)

## Fisher's exact test on r x c tables (network algorithm in R)
t34 <- matrix(c(3, 0, 2, 1, 5, 2, 4, 2, 2, 2, 1, 6), 3, 4)
t23 <- matrix(c(3, 0, 1, 5, 4, 2), 2, 3)
t22 <- matrix(c(7, 1, 2, 6), 2, 2)
out$fisher <- list(
  table_3x4 = list(table = unname(t34), p_value = num(fisher.test(t34)$p.value)),
  table_2x3 = list(table = unname(t23), p_value = num(fisher.test(t23)$p.value)),
  table_2x2 = list(table = unname(t22), p_value = num(fisher.test(t22)$p.value),
                   odds_ratio_conditional = num(fisher.test(t22)$estimate))
)

## composite index (0-100) on alpha_items.csv with a deterministic group, weight and gaps
X <- as.matrix(read.csv(file.path(data_dir, "alpha_items.csv")))
rowid <- seq_len(nrow(X))
X[rowid %% 11 == 0, 3] <- NA
X[rowid %% 17 == 0, 5] <- NA
idx_d <- data.frame(g = c("a", "b", "c")[(rowid - 1) %% 3 + 1], w = 0.5 + (rowid %% 7) / 4)
scores <- (X - 1) * 25
idx_d$index_all <- ifelse(rowSums(is.na(scores)) == 0, rowMeans(scores), NA)
idx_d$index_half <- ifelse(rowSums(!is.na(scores)) >= 3, rowMeans(scores, na.rm = TRUE), NA)
ides <- svydesign(ids = ~1, weights = ~w, data = idx_d)
idx_entry <- function(v) {
  f <- as.formula(paste0("~", v))
  o <- svymean(f, ides, na.rm = TRUE)
  b <- svyby(f, ~g, ides, svymean, na.rm = TRUE)
  list(overall = num(coef(o)), overall_se = num(SE(o)), by_group = num(coef(b)),
       by_group_se = num(SE(b)), n = num(tapply(!is.na(idx_d[[v]]), idx_d$g, sum)))
}
out$index <- list(
  construction = "alpha_items.csv; q3 NA where row %% 11 == 0, q5 NA where row %% 17 == 0; g = a,b,c cycling; w = 0.5 + (row %% 7)/4; score = (q - 1) * 25",
  all_items = idx_entry("index_all"),
  half_items = idx_entry("index_half"),
  unweighted_all_mean = mean(idx_d$index_all, na.rm = TRUE)
)

## jsonlite prints at most 15 significant digits, so numbers are pre-formatted with
## sprintf("%.17g") (full double precision) and inserted verbatim; NA -> null.
full <- function(x) {
  if (is.list(x)) return(lapply(x, full))
  if (!is.numeric(x)) return(x)
  fmt <- function(v) ifelse(is.finite(v), sprintf("%.17g", v), "null")
  arr <- function(v) paste0("[", paste(fmt(v), collapse = ", "), "]")
  if (is.matrix(x))
    return(structure(paste0("[", paste(apply(x, 1, arr), collapse = ", "), "]"),
                     class = "json"))
  structure(if (length(x) == 1) fmt(x) else arr(x), class = "json")
}
writeLines(toJSON(full(out), auto_unbox = TRUE, pretty = TRUE, json_verbatim = TRUE),
           file.path(ref_dir, "expected_extra.json"))
cat("wrote", file.path(ref_dir, "expected_extra.json"), "\n")
