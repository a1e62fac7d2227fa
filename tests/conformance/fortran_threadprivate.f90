! fortran_threadprivate.f90 - threadprivate module variables and common
! blocks (gfortran: TLS), copyin at region start, persistence of values
! between regions of the same team size, and copyprivate of a
! threadprivate variable.
! ENV: OMP_NUM_THREADS=3 OMP_DYNAMIC=false
include 'check.inc'

module tp_data
  implicit none
  integer :: counter = 0
  real(8) :: scale(4) = 1
  !$omp threadprivate(counter, scale)
end module tp_data

program fortran_threadprivate
  use omp_lib
  use conformance
  use tp_data
  implicit none
  integer :: blk_a, blk_b, total, i, after(0:2)
  common /blk/ blk_a, blk_b
  !$omp threadprivate(/blk/)

  call check_runtime()

  counter = 7
  scale = 2
  blk_a = 100
  blk_b = 5
  total = 0
  !$omp parallel copyin(counter, scale, /blk/) reduction(+:total)
  counter = counter + omp_get_thread_num()
  blk_a = blk_a + 10 * omp_get_thread_num()
  total = total + counter + int(sum(scale)) + blk_a + blk_b
  !$omp end parallel
  print '(a,i0)', 'copyin total ', total

  ! Values persist into the next region of the same team (OMP_DYNAMIC off).
  after = -1
  !$omp parallel
  after(omp_get_thread_num()) = counter * 1000 + blk_a
  !$omp end parallel
  print '(a,3(1x,i0))', 'persisted', after
  call check(counter == 7 .and. blk_a == 100, 'the initial thread kept its own copy')

  ! copyprivate broadcasts a threadprivate variable.
  total = 0
  !$omp parallel reduction(+:total)
  !$omp single
  counter = 55
  !$omp end single copyprivate(counter)
  total = total + counter
  !$omp end parallel
  print '(a,i0)', 'copyprivate threadprivate ', total

  ! Many regions: the copies stay per thread.
  do i = 1, 50
    !$omp parallel
    counter = counter + 1
    !$omp end parallel
  end do
  after = -1
  !$omp parallel
  after(omp_get_thread_num()) = counter
  !$omp end parallel
  print '(a,3(1x,i0))', 'after 50 regions', after
end program fortran_threadprivate
