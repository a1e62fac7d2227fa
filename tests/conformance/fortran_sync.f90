! fortran_sync.f90 - synchronisation from gfortran: critical (unnamed and
! named, as GOMP_critical_start and GOMP_critical_name_start), atomic
! update/read/write/capture on integer, integer(8) and real(8) (real(8)
! updates need a compare-and-swap loop or GOMP_atomic_start), barrier,
! master and masked, and flush.
! ENV: OMP_NUM_THREADS=4
include 'check.inc'

program fortran_sync
  use omp_lib
  use conformance
  implicit none
  integer, parameter :: rounds = 5000
  integer :: i, c1, c2, a, captured, maxcap, inside, worst
  integer(8) :: a8
  real(8) :: r
  complex(8) :: z

  call check_runtime()

  c1 = 0; c2 = 0; inside = 0; worst = 0
  !$omp parallel private(i)
  do i = 1, rounds
    !$omp critical
    c1 = c1 + 1
    !$omp end critical
    !$omp critical (second)
    inside = inside + 1
    worst = max(worst, inside)
    c2 = c2 + 2
    inside = inside - 1
    !$omp end critical (second)
  end do
  !$omp end parallel
  call check(worst == 1, 'one thread at a time in the named critical')
  print '(a,i0,1x,i0)', 'critical counts ', c1, c2

  a = 0; a8 = 0; r = 0; maxcap = 0; z = (0, 0)
  !$omp parallel private(i, captured) reduction(max:maxcap)
  do i = 1, rounds
    !$omp atomic
    a = a + 1
    !$omp atomic update
    a8 = a8 + 3_8
    !$omp atomic
    r = r + 0.5d0
    !$omp atomic capture
    captured = a
    a = a + 1
    !$omp end atomic
    maxcap = max(maxcap, captured)
  end do
  !$omp critical
  z = z + (1, 2)
  !$omp end critical
  !$omp end parallel
  print '(a,i0,1x,i0,1x,f0.1,1x,i0)', 'atomics ', a, a8, r, maxcap
  print '(a,2f6.1)', 'complex under critical ', z

  ! atomic read / write
  !$omp parallel
  !$omp master
  !$omp atomic write
  a = 7
  !$omp end master
  !$omp barrier
  !$omp atomic read
  captured = a
  call check(captured == 7, 'atomic read after barrier sees the write')
  !$omp end parallel
  print '(a)', 'atomic read/write: ok'

  ! masked filter
  c1 = -1
  !$omp parallel num_threads(3)
  !$omp masked filter(2)
  c1 = omp_get_thread_num()
  !$omp end masked
  !$omp end parallel
  print '(a,i0)', 'masked filter(2) ran on ', c1
end program fortran_sync
