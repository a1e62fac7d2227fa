! fortran_parallel.f90 - parallel regions from gfortran: team sizes
! (num_threads, if, omp_set_num_threads, OMP_NUM_THREADS), private,
! firstprivate, shared and default(none) data, barriers, master, nested
! regions with omp_get_level/ancestor/team_size, and logical results.
! ENV: OMP_NUM_THREADS=3
include 'check.inc'

program fortran_parallel
  use omp_lib
  use conformance
  implicit none
  integer :: seen(0:7), n, i, level_sum, x, before
  logical :: inpar

  call check_runtime()

  ! Every thread of a team of OMP_NUM_THREADS marks itself.
  seen = 0
  !$omp parallel shared(seen, n)
  seen(omp_get_thread_num()) = seen(omp_get_thread_num()) + 1
  !$omp master
  n = omp_get_num_threads()
  !$omp end master
  !$omp end parallel
  call check(n == 3, 'OMP_NUM_THREADS=3 gives a team of 3')
  call check(all(seen(0:2) == 1) .and. all(seen(3:) == 0), 'each of 3 threads once')
  print '(a,i0,a,8i2)', 'default team ', n, ' seen', seen

  ! num_threads clause and if(.false.).
  do i = 1, 5
    n = 0
    !$omp parallel num_threads(i) reduction(+:n)
    n = n + 1
    !$omp end parallel
    call check(n == i, 'num_threads team size')
  end do
  n = 0
  !$omp parallel num_threads(4) if(.false.) reduction(+:n)
  n = n + omp_get_num_threads()
  !$omp end parallel
  print '(a,i0)', 'if(.false.) team ', n

  ! omp_set_num_threads changes the next team.
  call omp_set_num_threads(2)
  !$omp parallel
  !$omp single
  n = omp_get_num_threads()
  !$omp end single
  !$omp end parallel
  print '(a,i0,a,i0)', 'after omp_set_num_threads(2): ', n, ' max ', omp_get_max_threads()
  call omp_set_num_threads(3)

  ! private, firstprivate, shared, and a barrier between phases.
  x = 10
  before = 0
  seen = 0
  !$omp parallel default(none) firstprivate(x) private(i) shared(seen, before)
  x = x + omp_get_thread_num()
  seen(omp_get_thread_num()) = x
  !$omp barrier
  !$omp master
  before = sum(seen)
  !$omp end master
  i = -1
  !$omp end parallel
  print '(a,i0,a,i0)', 'firstprivate sum ', before, ' x after ', x

  ! Nested: levels, ancestors and team sizes.
  call omp_set_max_active_levels(2)
  level_sum = 0
  !$omp parallel num_threads(2) reduction(+:level_sum)
  !$omp parallel num_threads(2) reduction(+:level_sum)
  call check(omp_get_level() == 2 .and. omp_get_active_level() == 2, 'nested level 2')
  call check(omp_get_team_size(1) == 2 .and. omp_get_team_size(2) == 2, 'team sizes')
  call check(omp_get_ancestor_thread_num(0) == 0, 'ancestor 0 is the initial thread')
  level_sum = level_sum + 10 * omp_get_ancestor_thread_num(1) + omp_get_thread_num()
  !$omp end parallel
  !$omp end parallel
  print '(a,i0)', 'nested ancestor/thread sum ', level_sum

  inpar = omp_in_parallel()
  print '(a,l1)', 'in parallel outside: ', inpar
  !$omp parallel num_threads(2)
  !$omp master
  inpar = omp_in_parallel()
  !$omp end master
  !$omp end parallel
  print '(a,l1)', 'in parallel inside: ', inpar
end program fortran_parallel
