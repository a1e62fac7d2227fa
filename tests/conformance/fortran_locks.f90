! fortran_locks.f90 - the lock routines with gfortran's lock kinds
! (omp_lock_kind = 4: the lock in place; omp_nest_lock_kind = 8: a handle):
! mutual exclusion under contention, omp_test_lock on a held lock, nesting
! depths from omp_test_nest_lock, another thread failing to take a held
! nestable lock, locks in an array and in a derived type, and re-use after
! destroy and init.
! ENV: OMP_NUM_THREADS=4
include 'check.inc'

program fortran_locks
  use omp_lib
  use conformance
  implicit none
  type guarded
    integer(omp_lock_kind) :: lock
    integer :: value
  end type guarded
  integer, parameter :: rounds = 3000, nlocks = 5
  integer(omp_lock_kind) :: lk, many(nlocks)
  integer(omp_nest_lock_kind) :: nl
  type(guarded) :: g
  integer :: counter, nested, i, j, depth(3), blocked, inside, worst, per(nlocks)
  logical :: got

  call check_runtime()

  call omp_init_lock(lk)
  call omp_init_nest_lock(nl)
  counter = 0; nested = 0; inside = 0; worst = 0
  !$omp parallel private(i)
  do i = 1, rounds
    call omp_set_lock(lk)
    inside = inside + 1
    worst = max(worst, inside)
    counter = counter + 1
    inside = inside - 1
    call omp_unset_lock(lk)
    call omp_set_nest_lock(nl)
    call omp_set_nest_lock(nl)
    nested = nested + 1
    call omp_unset_nest_lock(nl)
    call omp_unset_nest_lock(nl)
  end do
  !$omp end parallel
  call check(worst == 1, 'one holder at a time')
  print '(a,i0,1x,i0)', 'counts ', counter, nested

  ! Nesting depths, and the other threads fail to take the held locks.
  depth = [omp_test_nest_lock(nl), omp_test_nest_lock(nl), omp_test_nest_lock(nl)]
  call omp_set_lock(lk)
  blocked = 0
  !$omp parallel num_threads(3) reduction(+:blocked)
  if (omp_get_thread_num() /= 0) then
    if (omp_test_nest_lock(nl) == 0) blocked = blocked + 1
    got = omp_test_lock(lk)
    if (.not. got) blocked = blocked + 10
  end if
  !$omp end parallel
  call omp_unset_lock(lk)
  print '(a,3(1x,i0),a,i0)', 'depths', depth, ' blocked ', blocked
  do i = 1, 3
    call omp_unset_nest_lock(nl)
  end do
  got = omp_test_lock(lk)
  print '(a,l1,1x,i0)', 'free again: ', got, omp_test_nest_lock(nl)
  call omp_unset_lock(lk)
  call omp_unset_nest_lock(nl)
  call omp_destroy_lock(lk)
  call omp_destroy_nest_lock(nl)

  ! Re-initialised locks work again.
  call omp_init_lock(lk)
  call omp_init_nest_lock(nl)
  got = omp_test_lock(lk)
  print '(a,l1,1x,i0)', 'after re-init: ', got, omp_test_nest_lock(nl)
  call omp_unset_lock(lk)
  call omp_unset_nest_lock(nl)
  call omp_destroy_lock(lk)
  call omp_destroy_nest_lock(nl)

  ! An array of locks, and a lock inside a derived type.
  do j = 1, nlocks
    call omp_init_lock(many(j))
  end do
  call omp_init_lock(g%lock)
  g%value = 0
  per = 0
  !$omp parallel do private(j) schedule(dynamic, 5)
  do i = 1, rounds
    j = mod(i, nlocks) + 1
    call omp_set_lock(many(j))
    per(j) = per(j) + 1
    call omp_unset_lock(many(j))
    call omp_set_lock(g%lock)
    g%value = g%value + 1
    call omp_unset_lock(g%lock)
  end do
  !$omp end parallel do
  do j = 1, nlocks
    call omp_destroy_lock(many(j))
  end do
  call omp_destroy_lock(g%lock)
  print '(a,5(1x,i0),a,i0)', 'per lock', per, ' guarded ', g%value

  ! Tasks own nestable locks: a task of another thread cannot enter.
  call omp_init_nest_lock(nl)
  blocked = 0
  !$omp parallel num_threads(2)
  !$omp single
  call omp_set_nest_lock(nl)
  !$omp task shared(blocked)
  if (omp_test_nest_lock(nl) == 0) then
    blocked = 1
  else
    call omp_unset_nest_lock(nl)
  end if
  !$omp end task
  !$omp taskwait
  call omp_unset_nest_lock(nl)
  !$omp end single
  !$omp end parallel
  call omp_destroy_nest_lock(nl)
  print '(a,i0)', 'explicit task blocked by its parent: ', blocked
end program fortran_locks
