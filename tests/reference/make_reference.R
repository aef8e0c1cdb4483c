#!/usr/bin/env Rscript
## Reference values for surveykit's statistics, computed with R (base R + the
## `survey` package).  Run from the repository root:
##
##     Rscript tests/reference/make_reference.R
##
## Writes the input data to tests/reference/data/*.csv and all results to
## tests/reference/expected.json.  Only base R and `survey` are used; JSON is
## written by the small writer below (numbers as sprintf("%.17g"), i.e. full
## double precision).  The script is deterministic: running it again on the
## same R/survey versions reproduces the files byte for byte (the only
## random-number based *result*, fisher$simulated_chisq, is seeded as well but is
## a Monte-Carlo value and must not be compared exactly).
##
## Every dataset is written to CSV and then READ BACK, and all statistics are
## computed on the read-back data, so Python sees exactly the same numbers.
## See tests/reference/README.md for the meaning of every entry.

suppressPackageStartupMessages(library(survey))

## ---------------------------------------------------------------- paths ----
args_all <- commandArgs(trailingOnly = FALSE)
script_file <- sub("^--file=", "", args_all[grep("^--file=", args_all)])
ref_dir <- if (length(script_file) == 1) dirname(normalizePath(script_file)) else
  file.path(getwd(), "tests", "reference")
data_dir <- file.path(ref_dir, "data")
dir.create(data_dir, showWarnings = FALSE, recursive = TRUE)
out_json <- file.path(ref_dir, "expected.json")

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

## ---------------------------------------------------------- JSON writer ----
## - named list            -> object
## - unnamed list          -> array
## - matrix                -> array of rows
## - atomic, length 1      -> scalar (unless wrapped in I(), then array)
## - atomic, other lengths -> array
## - NA / NaN / +-Inf      -> null
json_str <- function(s) {
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", s, "\"")
}
json_atom <- function(v) {
  if (is.factor(v)) v <- as.character(v)
  if (is.character(v)) return(ifelse(is.na(v), "null", json_str(v)))
  if (is.logical(v)) return(ifelse(is.na(v), "null", ifelse(v, "true", "false")))
  if (is.integer(v)) return(ifelse(is.na(v), "null", sprintf("%d", v)))
  if (is.numeric(v)) return(ifelse(!is.finite(v), "null", sprintf("%.17g", v)))
  stop("unsupported type: ", class(v))
}
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(x, to_json, character(1), indent = indent + 1)
    if (!is.null(names(x))) {
      stopifnot(all(names(x) != ""), !anyDuplicated(names(x)))
      body <- paste0(pad1, json_str(names(x)), ": ", items)
      return(paste0("{\n", paste(body, collapse = ",\n"), "\n", pad, "}"))
    }
    return(paste0("[\n", paste0(pad1, items, collapse = ",\n"), "\n", pad, "]"))
  }
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i) to_json(I(unname(x[i, ])), indent + 1),
                   character(1))
    return(paste0("[\n", paste0(pad1, rows, collapse = ",\n"), "\n", pad, "]"))
  }
  as_array <- inherits(x, "AsIs") || length(x) != 1
  x <- unclass(unname(x))
  if (!as_array) return(json_atom(x))
  paste0("[", paste(json_atom(x), collapse = ", "), "]")
}
num <- function(x) as.numeric(unname(x))           # strip names/attributes
arr <- function(x) I(as.vector(unname(x)))          # force a JSON array
tab_matrix <- function(t) { m <- unclass(t); dimnames(m) <- NULL; m }

## helper: write a data.frame, read it back (so R and Python use identical data)
write_and_read <- function(df, name) {
  path <- file.path(data_dir, name)
  write.csv(df, path, row.names = FALSE, na = "", quote = FALSE)
  read.csv(path, stringsAsFactors = FALSE, na.strings = "")
}
write_table_csv <- function(m, name) {
  df <- data.frame(row = rownames(m), unclass(m), check.names = FALSE)
  back <- write_and_read(df, name)
  out <- as.matrix(back[, -1, drop = FALSE])
  dimnames(out) <- list(back$row, colnames(back)[-1])
  storage.mode(out) <- "integer"
  stopifnot(all(out == m))
  out
}

result <- list()
result$meta <- list(
  generator = "tests/reference/make_reference.R",
  r_version = R.version.string,
  survey_version = as.character(packageVersion("survey")),
  number_format = "sprintf('%.17g') (full double precision); null = NA",
  data_dir = "tests/reference/data"
)

## ============================================================ chisq ======
set.seed(101)
## 6x5 table with mild association
p65 <- outer(c(.10, .15, .20, .25, .15, .15), c(.30, .25, .20, .15, .10))
p65 <- p65 * (1 + 0.6 * outer(seq(-1, 1, length.out = 6), seq(-1, 1, length.out = 5)))
t65 <- matrix(rmultinom(1, 400, as.vector(p65 / sum(p65))), 6, 5)
## 4x5 table with a sparse third row (small but non-zero counts)
t45 <- matrix(rpois(20, lambda = 18), 4, 5)
t45[3, ] <- c(0L, 1L, 0L, 2L, 1L)
## 2x2
t22 <- matrix(c(43L, 27L, 31L, 49L), 2, 2)
name_tab <- function(m, rp = "r", cp = "c") {
  storage.mode(m) <- "integer"
  dimnames(m) <- list(paste0(rp, seq_len(nrow(m))), paste0(cp, seq_len(ncol(m))))
  m
}
chisq_inputs <- list(
  table_6x5 = list(file = "chisq_6x5.csv", tab = name_tab(t65)),
  table_4x5_sparse = list(file = "chisq_4x5_sparse.csv", tab = name_tab(t45)),
  table_2x2 = list(file = "chisq_2x2.csv", tab = name_tab(t22))
)
result$chisq <- lapply(chisq_inputs, function(inp) {
  tab <- write_table_csv(inp$tab, inp$file)
  ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
  n <- sum(tab)
  k <- min(dim(tab)) - 1
  list(
    data_file = inp$file,
    table = tab_matrix(tab),
    n = n,
    statistic = num(ct$statistic),
    df = num(ct$parameter),
    p_value = num(ct$p.value),
    expected = tab_matrix(ct$expected),
    min_expected = min(ct$expected),
    cramers_v = sqrt(num(ct$statistic) / (n * k))
  )
})

## =========================================================== fisher ======
f23 <- name_tab(matrix(c(3L, 1L, 4L,
                         0L, 5L, 2L), nrow = 2, byrow = TRUE))
f23 <- write_table_csv(f23, "fisher_2x3.csv")
ft <- fisher.test(f23)
ct_asym <- suppressWarnings(chisq.test(f23, correct = FALSE))
set.seed(2024)
ct_sim <- chisq.test(f23, simulate.p.value = TRUE, B = 20000)
result$fisher <- list(
  data_file = "fisher_2x3.csv",
  table = tab_matrix(f23),
  fisher_p_value = num(ft$p.value),
  asymptotic_chisq = list(statistic = num(ct_asym$statistic), df = num(ct_asym$parameter),
                          p_value = num(ct_asym$p.value)),
  simulated_chisq = list(
    note = paste("Monte-Carlo p-value (set.seed(2024); B = 20000). RANDOM: do not compare",
                 "exactly; only check e.g. |p - p_R| < 0.02 or closeness to fisher_p_value."),
    B = 20000L,
    seed = 2024L,
    statistic = num(ct_sim$statistic),
    p_value = num(ct_sim$p.value)
  )
)

## ========================================================= p_adjust ======
pv <- c(0.001, 0.004, 0.01, 0.01, 0.012, 0.03, 0.03, 0.045, 0.2, 0.6, 0.98, 0.999)
result$p_adjust <- list(
  p = arr(pv),
  holm = arr(p.adjust(pv, "holm")),
  BH = arr(p.adjust(pv, "BH")),
  bonferroni = arr(p.adjust(pv, "bonferroni"))
)

## ========================================================== prop_ci ======
xn <- data.frame(x = c(0L, 1L, 5L, 17L, 50L, 99L, 30L, 12L),
                 n = c(20L, 10L, 40L, 23L, 100L, 99L, 30L, 1000L))
one_sample <- lapply(seq_len(nrow(xn)), function(i) {
  pt <- suppressWarnings(prop.test(xn$x[i], xn$n[i], correct = FALSE))
  list(x = xn$x[i], n = xn$n[i], conf_level = 0.95,
       estimate = num(pt$estimate),
       lower = num(pt$conf.int[1]), upper = num(pt$conf.int[2]))
})
## one 90% interval as well
pt90 <- prop.test(17L, 23L, correct = FALSE, conf.level = 0.90)
one_sample[[length(one_sample) + 1]] <- list(
  x = 17L, n = 23L, conf_level = 0.90, estimate = num(pt90$estimate),
  lower = num(pt90$conf.int[1]), upper = num(pt90$conf.int[2]))
two <- data.frame(x1 = c(45L, 12L, 0L, 80L), n1 = c(100L, 40L, 25L, 200L),
                  x2 = c(30L, 20L, 3L, 80L), n2 = c(90L, 41L, 30L, 150L))
two_sample <- lapply(seq_len(nrow(two)), function(i) {
  pt <- suppressWarnings(prop.test(c(two$x1[i], two$x2[i]), c(two$n1[i], two$n2[i]),
                                   correct = FALSE))
  list(x1 = two$x1[i], n1 = two$n1[i], x2 = two$x2[i], n2 = two$n2[i],
       statistic = num(pt$statistic), df = num(pt$parameter), p_value = num(pt$p.value),
       diff_conf_int = arr(pt$conf.int))
})
result$prop_ci <- list(one_sample_wilson = one_sample, two_sample = two_sample)

## ========================================================= weighted ======
set.seed(303)
nW <- 300L
group <- sample(c("A", "B", "C", "D"), nW, replace = TRUE, prob = c(.35, .25, .25, .15))
group2 <- sample(c("X", "Y", "Z"), nW, replace = TRUE, prob = c(.45, .35, .20))
shift <- c(A = 0, B = 0.4, C = -0.3, D = 0.8)[group] + c(X = 0, Y = 0.2, Z = -0.2)[group2]
latent <- rnorm(nW) + shift
item <- as.integer(cut(latent, c(-Inf, -1.2, -0.4, 0.4, 1.1, Inf)))
item[sample(nW, 15)] <- NA
w <- round(exp(rnorm(nW, 0, 0.45)) * c(A = 0.8, B = 1.0, C = 1.3, D = 2.0)[group], 4)
wd <- data.frame(id = seq_len(nW), item = item, group = group, group2 = group2,
                 w = w, N = 1000L)
d <- write_and_read(wd, "weighted.csv")
d$pos <- ifelse(is.na(d$item), NA, as.numeric(d$item %in% c(4, 5)))   # 0/1, NA stays NA
d$one <- 1

des <- svydesign(ids = ~1, weights = ~w, data = d)
des_fpc <- svydesign(ids = ~1, weights = ~w, fpc = ~N, data = d)
dsub <- subset(des, !is.na(item))
dsub_fpc <- subset(des_fpc, !is.na(item))

## literal call from the brief: NOTE  NA %in% c(4,5) is FALSE, so NA items count
## as "not positive" here (na.rm has nothing to remove).  A logical variable is
## treated like a factor by svymean (columns FALSE/TRUE); we take the TRUE column.
m_in <- svymean(~I(item %in% c(4, 5)), des, na.rm = TRUE)
stopifnot(names(coef(m_in))[2] == "I(item %in% c(4, 5))TRUE")
m_in_est <- num(coef(m_in))[2]; m_in_se <- num(SE(m_in))[2]
## NA-excluded version (domain of non-missing item)
m_pos <- svymean(~pos, des, na.rm = TRUE)
stopifnot(abs(coef(m_pos) - coef(svymean(~as.numeric(item %in% c(4, 5)), dsub))) < 1e-15)
## a design built on the non-missing rows only (n = 285, not a domain)
des_cc <- svydesign(ids = ~1, weights = ~w, data = d[!is.na(d$item), ])
m_cc <- svymean(~pos, des_cc)

## check the documented linearisation formula for the domain SE
domain_se <- function(y, wt, in_dom, n_total, fpc_N = Inf) {
  p <- sum((wt * y)[in_dom]) / sum(wt[in_dom])
  z <- ifelse(in_dom, wt * (y - p) / sum(wt[in_dom]), 0)
  z[is.na(z)] <- 0
  sqrt((1 - n_total / fpc_N) * n_total / (n_total - 1) * sum((z - mean(z))^2))
}
ok <- !is.na(d$item)
stopifnot(abs(domain_se(d$pos, d$w, ok, nW) - SE(m_pos)) < 1e-14)

ciprop_entry <- function(design) {
  lg <- svyciprop(~I(item %in% c(4, 5)), design, method = "logit")
  bt <- svyciprop(~I(item %in% c(4, 5)), design, method = "beta")
  m <- svymean(~as.numeric(item %in% c(4, 5)), design)
  p <- num(coef(m)); se <- num(SE(m)); df <- degf(design)
  ## documented formulas
  lse <- se / (p * (1 - p))
  lg_manual <- plogis(qlogis(p) + c(-1, 1) * qt(0.975, df) * lse)
  neff <- p * (1 - p) / se^2
  neff_kg <- neff * (qt(0.025, nrow(design) - 1) / qt(0.025, df))^2
  bt_manual <- c(qbeta(0.025, neff_kg * p, neff_kg * (1 - p) + 1),
                 qbeta(0.975, neff_kg * p + 1, neff_kg * (1 - p)))
  stopifnot(max(abs(lg_manual - num(attr(lg, "ci")))) < 1e-10,
            max(abs(bt_manual - num(attr(bt, "ci")))) < 1e-12,
            abs(num(lg) - p) < 1e-10)
  wt <- weights(design)
  list(
    n = nrow(design),
    sum_w = sum(wt),
    estimate = p, se = se, df = df,
    logit = list(lower = num(attr(lg, "ci")[1]), upper = num(attr(lg, "ci")[2]),
                 se_logit = lse),
    beta = list(lower = num(attr(bt, "ci")[1]), upper = num(attr(bt, "ci")[2]),
                n_eff = neff, n_eff_adjusted = neff_kg)
  )
}

overall_ci <- ciprop_entry(dsub)
by_var <- function(var) {
  levs <- sort(unique(d[[var]]))
  out <- lapply(levs, function(g) {
    dg <- dsub[dsub$variables[[var]] == g, ]
    c(list(level = g), ciprop_entry(dg))
  })
  ## cross-check against svyby()
  f <- as.formula(paste0("~", var))
  for (meth in c("logit", "beta")) {
    sb <- svyby(~I(item %in% c(4, 5)), f, dsub, svyciprop, vartype = c("se", "ci"),
                method = meth)
    mine <- t(sapply(out, function(e) c(e$estimate, e[[meth]]$lower, e[[meth]]$upper)))
    theirs <- cbind(sb[[2]], sb$ci_l, sb$ci_u)
    stopifnot(max(abs(mine - theirs)) < 1e-9)  # svyciprop logit estimate = expit(glm coef): ~1e-10 off
  }
  out
}

kish <- function(wt) sum(wt)^2 / sum(wt^2)
kish_entry <- function(rows) {
  list(n = sum(rows), sum_w = sum(d$w[rows]), kish_n_eff = kish(d$w[rows]),
       n_nonmissing_item = sum(rows & ok), kish_n_eff_nonmissing_item = kish(d$w[rows & ok]))
}

## svychisq -- with the internal quantities recomputed (see README)
sc_F <- svychisq(~item + group, des)
sc_C <- svychisq(~item + group, des, statistic = "Chisq")
sc_internal <- local({
  design <- des
  nr <- length(unique(na.omit(d$item))); nc <- length(unique(d$group))
  fsat <- ~interaction(factor(item), factor(group)) - 1
  mm <- model.matrix(fsat, model.frame(fsat, design$variables, na.action = na.pass))
  N <- nrow(mm)
  nu <- length(unique(design$cluster[, 1])) - length(unique(design$strata[, 1]))
  mean2 <- svymean(mm, design, na.rm = TRUE)
  mf1 <- expand.grid(rows = 1:nr, cols = 1:nc)
  X1 <- model.matrix(~factor(rows) + factor(cols), mf1)
  X12 <- model.matrix(~factor(rows) * factor(cols), mf1)
  Cmat <- qr.resid(qr(X1), X12[, -(1:(nr + nc - 1)), drop = FALSE])
  iDmat <- diag(ifelse(mean2 == 0, 0, 1 / mean2))
  V <- attr(mean2, "var")
  denom <- t(Cmat) %*% (iDmat / N) %*% Cmat
  numr <- t(Cmat) %*% iDmat %*% V %*% iDmat %*% Cmat
  Delta <- solve(denom, numr)
  tabN <- svytable(~item + group, design, Ntotal = N)
  X2 <- num(suppressWarnings(chisq.test(tabN, correct = FALSE))$statistic)
  list(N = N, nu = nu, X2 = X2, tr = sum(diag(Delta)), tr2 = sum(diag(Delta %*% Delta)),
       eig = sort(Re(eigen(Delta, only.values = TRUE)$values), decreasing = TRUE),
       tabN = tabN, props = matrix(num(mean2), nr, nc))
})
d0 <- sc_internal$tr^2 / sc_internal$tr2
stopifnot(abs(num(sc_F$statistic) - sc_internal$X2 / sc_internal$tr) < 1e-10,
          abs(num(sc_F$parameter[1]) - d0) < 1e-10,
          abs(num(sc_C$statistic) - sc_internal$X2) < 1e-10)
wtab <- svytable(~item + group, des)

result$weighted <- list(
  data_file = "weighted.csv",
  n_rows = nW,
  n_missing_item = sum(!ok),
  positive_definition = "item in {4,5}; rows with missing item excluded (domain estimation)",
  mean_positive = list(
    estimate = num(coef(m_pos)), se = num(SE(m_pos)),
    se_complete_case_design = num(SE(m_cc)),
    estimate_na_as_negative = m_in_est,
    se_na_as_negative = m_in_se
  ),
  ciprop = list(
    overall = overall_ci,
    by_group = by_var("group"),
    by_group2 = by_var("group2")
  ),
  svychisq_item_group = list(
    rows = arr(sort(unique(na.omit(d$item)))),
    cols = arr(sort(unique(d$group))),
    weighted_table = tab_matrix(wtab),
    F = list(statistic = num(sc_F$statistic), ndf = num(sc_F$parameter[1]),
             ddf = num(sc_F$parameter[2]), p_value = num(sc_F$p.value)),
    Chisq = list(statistic = num(sc_C$statistic),
                 statistic_adjusted = sc_internal$X2 / mean(sc_internal$eig),
                 df = num(sc_C$parameter), p_value = num(sc_C$p.value)),
    internals = list(
      N_scale = sc_internal$N,
      nu = sc_internal$nu,
      pearson_x2_scaled_table = sc_internal$X2,
      cell_proportions = sc_internal$props,
      trace_delta = sc_internal$tr,
      trace_delta_squared = sc_internal$tr2,
      mean_eigenvalue = sc_internal$tr / length(sc_internal$eig),
      eigenvalues = arr(sc_internal$eig),
      d0 = d0
    )
  ),
  kish = list(
    overall = kish_entry(rep(TRUE, nW)),
    by_group = lapply(sort(unique(d$group)),
                      function(g) c(list(level = g), kish_entry(d$group == g))),
    by_group2 = lapply(sort(unique(d$group2)),
                       function(g) c(list(level = g), kish_entry(d$group2 == g)))
  ),
  fpc = local({
    mp <- svymean(~pos, des_fpc, na.rm = TRUE)
    mi0 <- svymean(~item, des, na.rm = TRUE)
    mi <- svymean(~item, des_fpc, na.rm = TRUE)
    stopifnot(abs(SE(mp) / SE(m_pos) - sqrt(1 - nW / 1000)) < 1e-12)
    list(
      N = 1000L, n = nW,
      positive = list(estimate = num(coef(mp)), se_without_fpc = num(SE(m_pos)),
                      se_with_fpc = num(SE(mp))),
      item_mean = list(estimate = num(coef(mi)), se_without_fpc = num(SE(mi0)),
                       se_with_fpc = num(SE(mi)))
    )
  })
)

## ============================================================= rake ======
pop_group <- data.frame(group = c("A", "B", "C", "D"), Freq = c(300, 250, 250, 200))
pop_group2 <- data.frame(group2 = c("X", "Y", "Z"), Freq = c(400, 350, 250))
des1 <- svydesign(ids = ~1, weights = ~one, data = d)
do_rake <- function(control) {
  rake(des1, list(~group, ~group2), list(pop_group, pop_group2), control = control)
}
## number of full passes: smallest maxit for which rake() does not warn
count_passes <- function(eps, max_try = 1000) {
  for (k in 1:max_try) {
    warned <- FALSE
    withCallingHandlers(do_rake(list(maxit = k, epsilon = eps, verbose = FALSE)),
                        warning = function(w) { warned <<- TRUE; invokeRestart("muffleWarning") })
    if (!warned) return(k)
  }
  NA_integer_
}
r_default <- rake(des1, list(~group, ~group2), list(pop_group, pop_group2))
r_tight <- do_rake(list(maxit = 1000, epsilon = 1e-12, verbose = FALSE))
cal <- calibrate(des1, ~group + group2,
                 population = c(`(Intercept)` = 1000, groupB = 250, groupC = 250,
                                groupD = 200, group2Y = 350, group2Z = 250),
                 calfun = "raking", epsilon = 1e-12, maxit = 500)
cells <- expand.grid(group2 = c("X", "Y", "Z"), group = c("A", "B", "C", "D"),
                     stringsAsFactors = FALSE)[, c("group", "group2")]
cell_w <- function(design) {
  wt <- weights(design)
  sapply(seq_len(nrow(cells)), function(i) {
    sel <- d$group == cells$group[i] & d$group2 == cells$group2[i]
    stopifnot(diff(range(wt[sel])) < 1e-9 * max(wt[sel]))   # constant within cell
    wt[sel][1]
  })
}
cw_def <- cell_w(r_default); cw_tight <- cell_w(r_tight); cw_cal <- cell_w(cal)
result$rake <- list(
  data_file = "weighted.csv",
  start_weights = "1 for every respondent (column `one`, not the `w` column)",
  population_group = list(level = arr(pop_group$group), total = arr(pop_group$Freq)),
  population_group2 = list(level = arr(pop_group2$group2), total = arr(pop_group2$Freq)),
  cells = lapply(seq_len(nrow(cells)), function(i) list(
    group = cells$group[i], group2 = cells$group2[i],
    n = sum(d$group == cells$group[i] & d$group2 == cells$group2[i]),
    weight_rake_default = cw_def[i],
    weight_rake_converged = cw_tight[i],
    weight_calibrate_raking = cw_cal[i])),
  weights_rake_default = arr(weights(r_default)),
  weights_rake_converged = arr(weights(r_tight)),
  passes_default = count_passes(1),
  passes_converged = count_passes(1e-12),
  max_abs_diff_converged_vs_calibrate = max(abs(cw_tight - cw_cal)),
  max_abs_diff_default_vs_converged = max(abs(cw_def - cw_tight)),
  margins_default = list(
    group = arr(tapply(weights(r_default), d$group, sum)),
    group2 = arr(tapply(weights(r_default), d$group2, sum))),
  margins_converged = list(
    group = arr(tapply(weights(r_tight), d$group, sum)),
    group2 = arr(tapply(weights(r_tight), d$group2, sum)))
)

## ============================================================ alpha ======
set.seed(404)
nA <- 300L
f <- rnorm(nA)
load <- c(0.9, 0.8, 0.7, 0.6, 0.25)
raw <- sapply(load, function(l) l * f + rnorm(nA, 0, 0.8))
items <- apply(raw, 2, function(z) as.integer(cut(z, c(-Inf, -1.3, -0.45, 0.45, 1.3, Inf))))
colnames(items) <- paste0("q", 1:5)
X <- as.matrix(write_and_read(as.data.frame(items), "alpha_items.csv"))
cronbach <- function(M) {
  k <- ncol(M)
  k / (k - 1) * (1 - sum(apply(M, 2, var)) / var(rowSums(M)))
}
result$alpha <- list(
  data_file = "alpha_items.csv",
  note = "base-R formula k/(k-1)*(1 - sum(item variances)/var(total)); psych not used",
  n = nrow(X), k = ncol(X),
  items = arr(colnames(X)),
  alpha = cronbach(X),
  alpha_if_deleted = arr(sapply(seq_len(ncol(X)), function(j) cronbach(X[, -j]))),
  item_rest_cor = arr(sapply(seq_len(ncol(X)), function(j) cor(X[, j], rowSums(X[, -j])))),
  item_total_cor = arr(sapply(seq_len(ncol(X)), function(j) cor(X[, j], rowSums(X)))),
  item_variances = arr(apply(X, 2, var)),
  total_variance = var(rowSums(X)),
  standardized_alpha = local({
    k <- ncol(X); r <- cor(X); rbar <- mean(r[upper.tri(r)])
    k * rbar / (1 + (k - 1) * rbar)
  })
)

## ========================================================== kruskal ======
set.seed(505)
kg <- rep(c("g1", "g2", "g3"), c(22L, 27L, 31L))
kv <- as.integer(pmin(7, pmax(1, round(4 + c(g1 = -0.4, g2 = 0.3, g3 = 0.6)[kg] +
                                       rnorm(length(kg), 0, 1.4)))))
kd <- write_and_read(data.frame(group = kg, value = kv), "kruskal.csv")
kt <- kruskal.test(value ~ factor(group), data = kd)
x1 <- kd$value[kd$group == "g1"]; x2 <- kd$value[kd$group == "g2"]
wt_c <- wilcox.test(x1, x2, exact = FALSE, correct = TRUE)
wt_nc <- wilcox.test(x1, x2, exact = FALSE, correct = FALSE)
result$kruskal <- list(
  data_file = "kruskal.csv",
  kruskal = list(call = "kruskal.test(value ~ factor(group), data = kd)",
                 statistic = num(kt$statistic), df = num(kt$parameter),
                 p_value = num(kt$p.value)),
  wilcox = list(
    call = "wilcox.test(value[g1], value[g2], exact = FALSE, correct = TRUE)",
    x_group = "g1", y_group = "g2",
    statistic_W = num(wt_c$statistic),
    p_value = num(wt_c$p.value),
    p_value_no_continuity = num(wt_nc$p.value)
  )
)

## ====================================================== wave_change ======
wc <- data.frame(item = paste0("item", 1:5),
                 x1 = c(120L, 45L, 210L, 80L, 33L), n1 = c(300L, 150L, 400L, 310L, 90L),
                 x2 = c(150L, 40L, 190L, 120L, 30L), n2 = c(320L, 160L, 390L, 300L, 70L))
wc <- write_and_read(wc, "wave_change.csv")
wc_tests <- lapply(seq_len(nrow(wc)), function(i)
  prop.test(c(wc$x1[i], wc$x2[i]), c(wc$n1[i], wc$n2[i]), correct = FALSE))
wc_p <- sapply(wc_tests, function(t) t$p.value)
result$wave_change <- list(
  data_file = "wave_change.csv",
  items = lapply(seq_len(nrow(wc)), function(i) list(
    item = wc$item[i], x1 = wc$x1[i], n1 = wc$n1[i], x2 = wc$x2[i], n2 = wc$n2[i],
    p1 = wc$x1[i] / wc$n1[i], p2 = wc$x2[i] / wc$n2[i],
    statistic = num(wc_tests[[i]]$statistic),
    p_value = wc_p[i],
    p_holm = p.adjust(wc_p, "holm")[i])),
  p_values = arr(wc_p),
  p_holm = arr(p.adjust(wc_p, "holm"))
)

## ------------------------------------------------------------- write ----
writeLines(to_json(result), out_json, useBytes = TRUE)
cat("wrote", out_json, "\n")
