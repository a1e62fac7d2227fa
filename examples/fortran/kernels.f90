! kernels.f90 - OpenMP Fortran kernels with C bindings (bind(c)), called
! from Haskell by Main.hs through `foreign import ccall safe`. Compiled by
! Setup.hs with gfortran -fopenmp; linked without -fopenmp, so their GOMP_*
! and omp_lib calls go to hsomp's static runtime, not to libgomp.
module hsomp_kernels
  use, intrinsic :: iso_c_binding, only: c_int, c_double
  use omp_lib
  implicit none
contains
  ! y := y + a * x
  subroutine axpy(n, a, x, y) bind(c, name='hsomp_f_axpy')
    integer(c_int), value :: n
    real(c_double), value :: a
    real(c_double), intent(in) :: x(n)
    real(c_double), intent(inout) :: y(n)
    integer :: i
    !$omp parallel do schedule(static)
    do i = 1, n
      y(i) = y(i) + a * x(i)
    end do
    !$omp end parallel do
  end subroutine axpy

  ! x . y, as an OpenMP reduction
  function dot(n, x, y) result(s) bind(c, name='hsomp_f_dot')
    integer(c_int), value :: n
    real(c_double), intent(in) :: x(n), y(n)
    real(c_double) :: s
    integer :: i
    s = 0
    !$omp parallel do reduction(+:s) schedule(static)
    do i = 1, n
      s = s + x(i) * y(i)
    end do
    !$omp end parallel do
  end function dot

  ! y := A x for an m-by-n matrix stored by columns (Fortran's order)
  subroutine matvec(m, n, a, x, y) bind(c, name='hsomp_f_matvec')
    integer(c_int), value :: m, n
    real(c_double), intent(in) :: a(m, n), x(n)
    real(c_double), intent(out) :: y(m)
    integer :: i, j
    !$omp parallel do schedule(dynamic, 8) private(j)
    do i = 1, m
      y(i) = 0
      do j = 1, n
        y(i) = y(i) + a(i, j) * x(j)
      end do
    end do
    !$omp end parallel do
  end subroutine matvec

  ! The size of a default team; ids(t + 1) := t for every thread t of it.
  function team(ids, cap) result(nthreads) bind(c, name='hsomp_f_team')
    integer(c_int), value :: cap
    integer(c_int), intent(inout) :: ids(cap)
    integer(c_int) :: nthreads
    nthreads = 0
    !$omp parallel
    if (omp_get_thread_num() < cap) ids(omp_get_thread_num() + 1) = omp_get_thread_num()
    !$omp single
    nthreads = omp_get_num_threads()
    !$omp end single
    !$omp end parallel
  end function team
end module hsomp_kernels
