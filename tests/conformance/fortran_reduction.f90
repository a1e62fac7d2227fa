! fortran_reduction.f90 - reduction clauses as gfortran lowers them:
! every Fortran operator and intrinsic (+ * - max min iand ior ieor .and.
! .or. .eqv. .neqv.), integer and exactly representable real values,
! array reductions (fixed-size, array section and allocatable), reductions
! on !$omp do, on sections and on nested regions.
! ENV: OMP_NUM_THREADS=4
! RUN: t4
! RUN: t3 OMP_NUM_THREADS=3
! RUN: t1 OMP_NUM_THREADS=1
include 'check.inc'

program fortran_reduction
  use omp_lib
  use conformance
  implicit none
  integer, parameter :: n = 2000
  integer :: i, isum, iprod, imax, imin, iand_r, ior_r, ieor_r, idiff
  logical :: land, lor, leqv, lneqv
  real(8) :: rsum, rmax
  integer :: hist(10), part(0:15)
  integer, allocatable :: dyn(:)
  integer(8) :: big

  call check_runtime()

  isum = 0; iprod = 1; imax = -huge(1); imin = huge(1); idiff = 0
  iand_r = not(0); ior_r = 0; ieor_r = 0
  land = .true.; lor = .false.; leqv = .true.; lneqv = .false.
  rsum = 0; rmax = -1
  !$omp parallel do reduction(+:isum) reduction(*:iprod) reduction(max:imax) &
  !$omp&   reduction(min:imin) reduction(iand:iand_r) reduction(ior:ior_r) &
  !$omp&   reduction(ieor:ieor_r) reduction(.and.:land) reduction(.or.:lor) &
  !$omp&   reduction(.eqv.:leqv) reduction(.neqv.:lneqv) reduction(+:rsum) &
  !$omp&   reduction(max:rmax) reduction(-:idiff)
  do i = 1, n
    isum = isum + i
    if (mod(i, 500) == 0) iprod = iprod * 2
    imax = max(imax, mod(i * 37, 1001))
    imin = min(imin, mod(i * 37, 1001) + 5)
    iand_r = iand(iand_r, ior(i, 1024))
    ior_r = ior(ior_r, ishft(1, mod(i, 20)))
    ieor_r = ieor(ieor_r, i)
    land = land .and. (i > 0)
    lor = lor .or. (i == 1234)
    leqv = leqv .eqv. (mod(i, 3) == 0)
    lneqv = lneqv .neqv. (mod(i, 7) == 0)
    rsum = rsum + 0.5d0 * i
    rmax = max(rmax, 0.25d0 * mod(i, 64))
    idiff = idiff - 1
  end do
  !$omp end parallel do
  print '(a,i0,1x,i0,1x,i0,1x,i0)', 'sum prod max min ', isum, iprod, imax, imin
  print '(a,i0,1x,i0,1x,i0)', 'iand ior ieor ', iand_r, ior_r, ieor_r
  print '(a,4l2)', 'and or eqv neqv ', land, lor, leqv, lneqv
  print '(a,f0.2,1x,f0.2,1x,i0)', 'real sum max, minus ', rsum, rmax, idiff

  ! Array reduction: a histogram.
  hist = 0
  !$omp parallel do reduction(+:hist)
  do i = 1, n
    hist(mod(i * 7, 10) + 1) = hist(mod(i * 7, 10) + 1) + 1
  end do
  !$omp end parallel do
  print '(a,10i4)', 'histogram ', hist

  ! Array section and max over an array.
  part = 0
  !$omp parallel reduction(max:part)
  part(omp_get_thread_num()) = omp_get_thread_num() + 100
  part(15) = max(part(15), omp_get_num_threads())
  !$omp end parallel
  call check(part(15) == omp_get_max_threads(), 'max over array element')
  print '(a,i0)', 'array max sum ', sum(part(0:omp_get_max_threads() - 1)) - 100 * omp_get_max_threads()

  ! Allocatable array reduction.
  allocate (dyn(5))
  dyn = 0
  !$omp parallel do reduction(+:dyn) schedule(dynamic, 7)
  do i = 1, n
    dyn(mod(i, 5) + 1) = dyn(mod(i, 5) + 1) + i
  end do
  !$omp end parallel do
  print '(a,5(1x,i0))', 'allocatable', dyn
  deallocate (dyn)

  ! Reduction on sections and nested regions.
  big = 0
  call omp_set_max_active_levels(2)
  !$omp parallel sections reduction(+:big)
  !$omp section
  big = big + 1
  !$omp section
  !$omp parallel num_threads(2) reduction(+:big)
  big = big + 10
  !$omp end parallel
  !$omp end parallel sections
  print '(a,i0)', 'sections + nested ', big
end program fortran_reduction
