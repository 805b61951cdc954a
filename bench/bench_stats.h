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

#endif
