#!/usr/bin/env Rscript
## Extra reference values for the weighted/design-based, pairwise, exact and index
## statistics (surveykit.analysis.{raoscott,letters,exact,meantests,indices,multitests}).
## Run from the repository root:
##
##     Rscript tests/reference/make_reference_extra.R
##
## Reads the data files written by make_reference.R (tests/reference/data/), writes one
## derived file, data/strata.csv (the stratified example), and
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

## column letters, derived independently of surveykit: for each item and each group g,
## the groups h with p_g > p_h whose Holm-adjusted pairwise p is below 0.01 (uppercase
## letter) or 0.05 (lowercase), in group order. Unweighted p from pairwise.prop.test,
## weighted p from svycontrast of svyby domain means (normal reference, as surveykit).
make_letters <- function(est, padj, labels = LETTERS[seq_along(est)]) {
  sapply(seq_along(est), function(g) {
    paste0(unlist(lapply(seq_along(est), function(h) {
      if (h == g || is.na(padj[g, h]) || est[g] <= est[h]) return(NULL)
      if (padj[g, h] < 0.01) labels[h] else if (padj[g, h] < 0.05) tolower(labels[h]) else NULL
    })), collapse = "")
  })
}
full_matrix <- function(lower) {  # pairwise.*'s lower triangle -> symmetric G x G
  G <- nrow(lower) + 1
  m <- matrix(NA_real_, G, G)
  m[2:G, 1:(G - 1)] <- lower
  m[upper.tri(m)] <- t(m)[upper.tri(m)]
  m
}
## (svyby(covmat = TRUE) does not take na.rm: the domain of answered rows is a subset,
## whose SEs still use all 300 rows, as every domain SE in survey)
pairs_weighted <- function(design) {
  b <- svyby(~pos, ~group, subset(design, !is.na(pos)), svymean, covmat = TRUE)
  G <- nrow(b)
  est <- num(coef(b))
  z <- matrix(NA_real_, G, G)
  for (g in 1:G) for (h in 1:G) if (g != h) {
    cc <- rep(0, G); cc[g] <- 1; cc[h] <- -1
    sc <- svycontrast(b, cc)
    z[g, h] <- num(coef(sc)) / num(SE(sc))
  }
  p <- 2 * pnorm(-abs(z))
  low <- p[lower.tri(p)]  # each pair once (column-major over the lower triangle)
  padj <- matrix(NA_real_, G, G)
  padj[lower.tri(padj)] <- p.adjust(low, "holm")
  padj[upper.tri(padj)] <- t(padj)[upper.tri(padj)]
  list(estimate = est, p = p, p_holm = padj, letters = make_letters(est, padj))
}
unw_holm <- full_matrix(pairwise.prop.test(x, n, p.adjust.method = "holm", correct = FALSE)$p.value)
## two items of five groups for family = "breakdown" (Holm over all 20 pairs together)
x2 <- rbind(c(62, 45, 80, 30, 51), c(20, 35, 28, 40, 22))
n2 <- rbind(c(100, 98, 110, 75, 120), c(90, 85, 100, 70, 95))
raw2 <- lapply(1:2, function(i)
  full_matrix(pairwise.prop.test(x2[i, ], n2[i, ], p.adjust.method = "none", correct = FALSE)$p.value))
low2 <- unlist(lapply(raw2, function(m) m[lower.tri(m)]))
adj2 <- p.adjust(low2, "holm")
fam2 <- lapply(1:2, function(i) {
  m <- matrix(NA_real_, 5, 5)
  m[lower.tri(m)] <- adj2[(10 * (i - 1) + 1):(10 * i)]
  m[upper.tri(m)] <- t(m)[upper.tri(m)]
  list(p_holm = m, letters = make_letters(x2[i, ] / n2[i, ], m))
})
out$letters <- list(
  rule = "group g lists h (A, B, ...) when p_g > p_h and Holm-adjusted p < 0.01 (upper) or < 0.05 (lower)",
  unweighted = list(groups = names(x), estimate = num(x / n), p_holm = unw_holm,
                    letters = make_letters(x / n, unw_holm)),
  weighted = pairs_weighted(des),
  weighted_fpc = pairs_weighted(des_fpc),
  breakdown_family = list(x = x2, n = n2, item1 = fam2[[1]], item2 = fam2[[2]])
)

## each group against the rest of the sample on % positive (pos), Holm over the groups
rest_unw <- lapply(names(x), function(g) {
  pt <- prop.test(c(x[[g]], sum(x) - x[[g]]), c(n[[g]], sum(n) - n[[g]]), correct = FALSE)
  list(group = g, statistic = num(pt$statistic), p_value = num(pt$p.value))
})
rest_w <- function(design) {
  lapply(c("A", "B", "C", "D"), function(g) {
    dg <- update(design, in_g = factor(group == g, levels = c(FALSE, TRUE)))
    b <- svyby(~pos, ~in_g, subset(dg, !is.na(pos)), svymean, covmat = TRUE)
    sc <- svycontrast(b, c(-1, 1))  # in g minus the rest
    z <- num(coef(sc)) / num(SE(sc))
    list(group = g, difference = num(coef(sc)), se = num(SE(sc)), z = z,
         p_value = 2 * pnorm(-abs(z)))
  })
}
with_holm <- function(recs) {
  adj <- p.adjust(sapply(recs, function(r) r$p_value), "holm")
  Map(function(r, a) c(r, list(p_holm = a)), recs, adj)
}
out$vs_rest <- list(
  unweighted_call = "prop.test(c(x_g, x_rest), c(n_g, n_rest), correct = FALSE)",
  weighted_call = "svycontrast(svyby(~pos, ~in_g, subset(des, !is.na(pos)), svymean, covmat = TRUE), c(-1, 1)); p = 2 pnorm(-|z|)",
  unweighted = with_holm(rest_unw), weighted = with_holm(rest_w(des)),
  weighted_fpc = with_holm(rest_w(des_fpc))
)

## the mean-score tests analyse() runs on weighted.csv's item by group
kw <- kruskal.test(item ~ factor(group), data = d)
rt_fpc <- regTermTest(svyglm(item ~ group, des_fpc), ~group)
out$mean_tests <- list(
  kruskal = list(statistic = num(kw$statistic), df = num(kw$parameter),
                 p_value = num(kw$p.value)),
  wald_fpc = list(statistic = num(rt_fpc$Ftest), df = num(rt_fpc$df),
                  ddf = num(rt_fpc$ddf), p_value = num(rt_fpc$p))
)

## raking with bounds: calibrate(calfun = "raking", bounds = ) from start weights N / n, so
## the bounds (0.8, 1.7) are multiples of the average weight, as surveykit's cap
d$start <- 1000 / nrow(d)
des_start <- svydesign(ids = ~1, weights = ~start, data = d)
cal_b <- calibrate(des_start, ~group + group2,
                   population = c(`(Intercept)` = 1000, groupB = 250, groupC = 250,
                                  groupD = 200, group2Y = 350, group2Z = 250),
                   calfun = "raking", bounds = c(0.8, 1.7), epsilon = 1e-12, maxit = 500)
wb <- weights(cal_b) / d$start
out$rake_capped <- list(
  call = "calibrate(svydesign(ids=~1, weights=~start), ~group + group2, population, calfun = 'raking', bounds = c(0.8, 1.7)), start = 1000/300",
  cap = c(0.8, 1.7), weights = num(weights(cal_b)),
  n_capped = sum(abs(wb - 0.8) < 1e-9 | abs(wb - 1.7) < 1e-9),
  margins = list(group = num(tapply(weights(cal_b), d$group, sum)),
                 group2 = num(tapply(weights(cal_b), d$group2, sum)))
)

## intervals for every answer's share (not only % positive), by group: svyciprop logit on
## the answered rows (weighted) and prop.test's Wilson interval (unweighted)
dsub_all <- subset(des, !is.na(item))
cat_ci <- lapply(c("A", "B", "C", "D"), function(g) {
  dg <- subset(dsub_all, group == g)
  lapply(1:5, function(cc) {
    dg2 <- update(dg, is_c = as.numeric(item == cc))
    r <- svyciprop(~is_c, dg2, method = "logit")
    x <- sum(d$item == cc & d$group == g, na.rm = TRUE)
    nn <- sum(!is.na(d$item) & d$group == g)
    pt <- prop.test(x, nn, correct = FALSE)
    list(group = g, category = cc, estimate = num(r), lower = num(attr(r, "ci")[1]),
         upper = num(attr(r, "ci")[2]), x = x, n = nn,
         wilson_lower = num(pt$conf.int[1]), wilson_upper = num(pt$conf.int[2]))
  })
})
out$category_ci <- list(
  call = "svyciprop(~I(item == c), subset(subset(des, !is.na(item)), group == g), method = 'logit'); prop.test(x, n, correct = FALSE)$conf.int",
  cells = do.call(c, cat_ci))

## Cronbach's alpha by an independent implementation: psych::alpha (Revelle)
if (requireNamespace("psych", quietly = TRUE)) {
  pa <- psych::alpha(as.data.frame(read.csv(file.path(data_dir, "alpha_items.csv"))),
                     warnings = FALSE)
  out$alpha_psych <- list(
    call = "psych::alpha(alpha_items.csv)",
    psych_version = as.character(packageVersion("psych")),
    raw_alpha = num(pa$total$raw_alpha), std_alpha = num(pa$total$std.alpha),
    alpha_if_deleted = num(pa$alpha.drop$raw_alpha), r_drop = num(pa$item.stats$r.drop))
} else stop("install psych (Debian: r-cran-psych) to regenerate alpha_psych")

## ---- stratified design with a finite population correction per stratum -------------
## weighted.csv, stratified by group2 ("sector"): rows with id %% 29 == 0 did not state
## their sector and form a stratum of their own without FPC (fpc = Inf). Sector headcounts
## give very different sampling fractions (45%, 13%, 80%). A second item, a tick-all
## question (opt_a..c, blank where item is missing) and a 2-item index come from the same
## rows. Written to data/strata.csv for the Python tests, which read exactly these rows.
ds <- read.csv(file.path(data_dir, "weighted.csv"), stringsAsFactors = FALSE, na.strings = "")
ds$sector <- ifelse(ds$id %% 29 == 0, NA, ds$group2)
ds$item2 <- ifelse(is.na(ds$item) | ds$id %% 13 == 0, NA,
                   pmin(5, pmax(1, ds$item + (ds$id %% 3) - 1)))
ans <- !is.na(ds$item)
ds$opt_a <- ifelse(ans, as.integer(ds$item >= 4), NA)
ds$opt_b <- ifelse(ans, as.integer(ds$id %% 3 == 0), NA)
ds$opt_c <- ifelse(ans, as.integer(ds$group == "D" | ds$id %% 7 == 0), NA)
n_sec <- table(ds$sector)
frac <- c(X = 0.45, Y = 0.13, Z = 0.80)
N_sec <- ceiling(as.numeric(n_sec[names(frac)]) / frac)
names(N_sec) <- names(frac)
write.csv(ds[, c("id", "item", "item2", "group", "sector", "w", "opt_a", "opt_b", "opt_c")],
          file.path(data_dir, "strata.csv"), row.names = FALSE, na = "", quote = FALSE)
ds <- read.csv(file.path(data_dir, "strata.csv"), stringsAsFactors = FALSE, na.strings = "")
ds$stratum <- ifelse(is.na(ds$sector), "(not stated)", ds$sector)
ds$Nh <- ifelse(is.na(ds$sector), Inf, N_sec[ds$stratum])
ds$pos <- ifelse(is.na(ds$item), NA, as.numeric(ds$item %in% c(4, 5)))
ds$item_z <- ifelse(ds$group == "D" & ds$item %in% 5, 4L, ds$item)
sc_i <- (cbind(ds$item, ds$item2) - 1) * 25
ds$index <- ifelse(rowSums(is.na(sc_i)) == 0, rowMeans(sc_i), NA)
des_s <- svydesign(ids = ~1, strata = ~stratum, fpc = ~Nh, weights = ~w, data = ds)
des_s0 <- svydesign(ids = ~1, strata = ~stratum, weights = ~w, data = ds)
stopifnot(degf(des_s) == nrow(ds) - 4)

## svyciprop (logit; beta for % positive) and SE of every share in every domain
shares <- list(positive = c(4, 5), negative = c(1, 2), neutral = 3, c1 = 1, c2 = 2,
               c3 = 3, c4 = 4, c5 = 5)
domains <- c(list(overall = rep(TRUE, nrow(ds))),
             setNames(lapply(c("A", "B", "C", "D"), function(g) ds$group == g),
                      paste0("group_", c("A", "B", "C", "D"))),
             setNames(lapply(c("X", "Y", "Z"), function(g) !is.na(ds$sector) & ds$sector == g),
                      paste0("sector_", c("X", "Y", "Z"))))
ciprop_strata <- function(design) {
  dsub_s <- subset(design, !is.na(item))
  lapply(names(domains), function(dn) {
    dd <- subset(dsub_s, domains[[dn]][!is.na(ds$item)])
    lapply(names(shares), function(sn) {
      dd2 <- update(dd, y = as.numeric(item %in% shares[[sn]]))
      m <- svymean(~y, dd2)
      r <- svyciprop(~y, dd2, method = "logit")
      e <- list(domain = dn, share = sn, estimate = num(coef(m)), se = num(SE(m)),
                df = degf(dd2), lower = num(attr(r, "ci")[1]), upper = num(attr(r, "ci")[2]))
      if (sn == "positive") {
        b <- svyciprop(~y, dd2, method = "beta")
        e$beta_lower <- num(attr(b, "ci")[1]); e$beta_upper <- num(attr(b, "ci")[2])
      }
      e
    })
  })
}
sc_s <- function(f, design) {
  r <- svychisq(f, design)
  list(statistic = num(r$statistic), ndf = num(r$parameter[1]), ddf = num(r$parameter[2]),
       p_value = num(r$p.value))
}
vs_rest_s <- function(design, var, levels) {
  lapply(levels, function(g) {
    dg <- update(design, in_g = factor(!is.na(get(var)) & get(var) == g,
                                       levels = c(FALSE, TRUE)))
    b <- svyby(~pos, ~in_g, subset(dg, !is.na(pos)), svymean, covmat = TRUE)
    sc <- svycontrast(b, c(-1, 1))
    z <- num(coef(sc)) / num(SE(sc))
    list(group = g, difference = num(coef(sc)), se = num(SE(sc)), z = z,
         p_value = 2 * pnorm(-abs(z)))
  })
}
pairs_s <- function(design, var) {
  b <- svyby(~pos, as.formula(paste0("~", var)),
             subset(design, !is.na(pos) & !is.na(get(var))), svymean, covmat = TRUE)
  G <- nrow(b)
  est <- num(coef(b))
  p <- matrix(NA_real_, G, G)
  for (g in 1:G) for (h in 1:G) if (g != h) {
    cc <- rep(0, G); cc[g] <- 1; cc[h] <- -1
    sc <- svycontrast(b, cc)
    p[g, h] <- 2 * pnorm(-abs(num(coef(sc)) / num(SE(sc))))
  }
  padj <- matrix(NA_real_, G, G)
  padj[lower.tri(padj)] <- p.adjust(p[lower.tri(p)], "holm")
  padj[upper.tri(padj)] <- t(padj)[upper.tri(padj)]
  list(groups = as.character(b[[var]]), estimate = est, p = p, p_holm = padj,
       letters = make_letters(est, padj))
}
wald_s <- function(design, var) {
  rt <- regTermTest(svyglm(as.formula(paste0("item ~ ", var)), design), as.formula(paste0("~", var)))
  list(statistic = num(rt$Ftest), df = num(rt$df), ddf = num(rt$ddf), p_value = num(rt$p))
}
opt_tests <- function(design, var, levels) {
  lapply(c("opt_a", "opt_b", "opt_c"), function(o) {
    chi <- sc_s(as.formula(paste0("~", o, " + ", var)), design)
    rest <- lapply(levels, function(g) {
      dg <- update(design, in_g = !is.na(get(var)) & get(var) == g)
      tt <- svyttest(as.formula(paste0(o, " ~ in_g")), dg)
      list(group = g, difference = num(tt$estimate), statistic = num(tt$statistic),
           df = num(tt$parameter), p_value = num(tt$p.value))
    })
    list(option = o, chisq = chi, vs_rest = rest)
  })
}
mean_vs_rest_s <- function(design, var, levels) {  # rest includes the not stated
  lapply(levels, function(g) {
    dg <- update(design, in_g = !is.na(get(var)) & get(var) == g)
    tt <- svyttest(item ~ in_g, dg)
    list(group = g, difference = num(tt$estimate), statistic = num(tt$statistic),
         df = num(tt$parameter), p_value = num(tt$p.value))
  })
}
index_s <- function(design) {
  o <- svymean(~index, design, na.rm = TRUE)
  by_g <- svyby(~index, ~group, design, svymean, na.rm = TRUE)
  by_s <- svyby(~index, ~sector, subset(design, !is.na(sector)), svymean, na.rm = TRUE)
  list(overall = num(coef(o)), overall_se = num(SE(o)),
       group = num(coef(by_g)), group_se = num(SE(by_g)),
       sector = num(coef(by_s)), sector_se = num(SE(by_s)))
}
means_s <- function(design, var) {
  b <- svyby(~item, as.formula(paste0("~", var)), subset(design, !is.na(get(var))), svymean,
             na.rm = TRUE)
  list(mean = num(coef(b)), se = num(SE(b)))
}
## a stratum of one respondent (id 1 moved to sector W of 5 staff): R's default
## lonely.psu = "fail" stops, surveykit follows lonely.psu = "adjust"
dl <- ds
dl$stratum[dl$id == 1] <- "W"; dl$Nh[dl$id == 1] <- 5
old_lonely <- options(survey.lonely.psu = "adjust")
des_l <- svydesign(ids = ~1, strata = ~stratum, fpc = ~Nh, weights = ~w, data = dl)
lonely <- list(
  overall_positive = {
    r <- svyciprop(~I(item %in% c(4, 5)), subset(des_l, !is.na(item)), method = "logit")
    m <- svymean(~pos, subset(des_l, !is.na(pos)))
    list(estimate = num(coef(m)), se = num(SE(m)), lower = num(attr(r, "ci")[1]),
         upper = num(attr(r, "ci")[2]))
  },
  item_group = sc_s(~item + group, des_l))
options(old_lonely)

out$strata <- list(
  construction = "weighted.csv; sector = group2, NA where id %% 29 == 0; strata = sector with '(not stated)' (fpc = Inf); see README_extra.md",
  headcounts = as.list(N_sec), n = as.list(as.numeric(n_sec[names(frac)])),
  not_stated = sum(is.na(ds$sector)),
  design = "svydesign(ids = ~1, strata = ~stratum, fpc = ~Nh, weights = ~w, data = ds)",
  degf = degf(des_s),
  ciprop = do.call(c, ciprop_strata(des_s)),
  ciprop_no_fpc = do.call(c, ciprop_strata(des_s0)),
  svychisq = list(item_group = sc_s(~item + group, des_s),
                  item_sector = sc_s(~item + sector, des_s),
                  item_z_group = sc_s(~item_z + group, des_s),
                  pos_group = sc_s(~pos + group, des_s),
                  pos_sector = sc_s(~pos + sector, des_s),
                  item_group_no_fpc = sc_s(~item + group, des_s0)),
  vs_rest = list(group = with_holm(vs_rest_s(des_s, "group", c("A", "B", "C", "D"))),
                 sector = with_holm(vs_rest_s(des_s, "sector", c("X", "Y", "Z")))),
  letters = list(group = pairs_s(des_s, "group"), sector = pairs_s(des_s, "sector")),
  mean_tests = list(group = wald_s(des_s, "group"), sector = wald_s(des_s, "sector"),
                    group_means = means_s(des_s, "group"),
                    sector_means = means_s(des_s, "sector")),
  mean_vs_rest = list(group = mean_vs_rest_s(des_s, "group", c("A", "B", "C", "D")),
                      sector = mean_vs_rest_s(des_s, "sector", c("X", "Y", "Z"))),
  options = list(group = opt_tests(des_s, "group", c("A", "B", "C", "D")),
                 sector = opt_tests(des_s, "sector", c("X", "Y", "Z"))),
  index = index_s(des_s),
  lonely = lonely
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
