/* bench_stats.h: the statistics the C benchmarks print. */
#ifndef MVM_BENCH_STATS_H
#define MVM_BENCH_STATS_H

#include <stddef.h>
#include <stdlib.h>

static inline int bench_compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of count values (the mean of the middle two when count is
 * even); sorts values. */
static inline double bench_median(double *values, size_t count)
{
	qsort(values, count, sizeof(*values), bench_compare_double);
	return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

/* The p-th percentile (0 < p <= 100) by nearest rank: the smallest value
 * that at least p% of the count values do not exceed. values must be
 * sorted (bench_median sorts them). */
static inline double bench_percentile_sorted(const double *values, size_t count, unsigned p)
{
	return values[(p * count + 99) / 100 - 1];
}

#endif
