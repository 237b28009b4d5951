// Fortran BLAS/LAPACK entry points used by the LinearAlgebra module.
//
// Debian's OpenBLAS exports the reference Fortran symbols (trailing underscore) and has
// no LAPACKE, so we declare the handful we call instead of depending on liblapacke-dev:
// one small header, no extra package, and the calling convention is explicit here.
// Conventions: every argument by pointer, integers are 32-bit (LP64 OpenBLAS),
// matrices are column-major, and each CHARACTER argument adds a trailing size_t length.
#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
#include <stddef.h>

typedef int lapack_int;

// BLAS level 2
void dgemv_(const char *trans, const lapack_int *m, const lapack_int *n, const double *alpha,
            const double *a, const lapack_int *lda, const double *x, const lapack_int *incx,
            const double *beta, double *y, const lapack_int *incy, size_t trans_len);

// BLAS level 3
void dgemm_(const char *transa, const char *transb, const lapack_int *m, const lapack_int *n,
            const lapack_int *k, const double *alpha, const double *a, const lapack_int *lda,
            const double *b, const lapack_int *ldb, const double *beta, double *c,
            const lapack_int *ldc, size_t transa_len, size_t transb_len);
void dsyrk_(const char *uplo, const char *trans, const lapack_int *n, const lapack_int *k,
            const double *alpha, const double *a, const lapack_int *lda, const double *beta,
            double *c, const lapack_int *ldc, size_t uplo_len, size_t trans_len);

// LAPACK
void dpotrf_(const char *uplo, const lapack_int *n, double *a, const lapack_int *lda,
             lapack_int *info, size_t uplo_len);
void dpotrs_(const char *uplo, const lapack_int *n, const lapack_int *nrhs, const double *a,
             const lapack_int *lda, double *b, const lapack_int *ldb, lapack_int *info,
             size_t uplo_len);
void dpocon_(const char *uplo, const lapack_int *n, const double *a, const lapack_int *lda,
             const double *anorm, double *rcond, double *work, lapack_int *iwork,
             lapack_int *info, size_t uplo_len);
double dlansy_(const char *norm, const char *uplo, const lapack_int *n, const double *a,
               const lapack_int *lda, double *work, size_t norm_len, size_t uplo_len);
void dgels_(const char *trans, const lapack_int *m, const lapack_int *n, const lapack_int *nrhs,
            double *a, const lapack_int *lda, double *b, const lapack_int *ldb, double *work,
            const lapack_int *lwork, lapack_int *info, size_t trans_len);
void dtrcon_(const char *norm, const char *uplo, const char *diag, const lapack_int *n,
             const double *a, const lapack_int *lda, double *rcond, double *work,
             lapack_int *iwork, lapack_int *info, size_t norm_len, size_t uplo_len,
             size_t diag_len);
void dsyevd_(const char *jobz, const char *uplo, const lapack_int *n, double *a,
             const lapack_int *lda, double *w, double *work, const lapack_int *lwork,
             lapack_int *iwork, const lapack_int *liwork, lapack_int *info, size_t jobz_len,
             size_t uplo_len);

#endif
