! fortran_worksharing.f90 - !$omp do with every schedule (static with and
! without chunk, dynamic, guided, auto, runtime from OMP_SCHEDULE and from
! omp_set_schedule), negative strides, integer(8) loop variables, collapse,
! ordered, nowait, lastprivate; sections; single with copyprivate and
! nowait; workshare.
! ENV: OMP_NUM_THREADS=4
! RUN: sched_dynamic OMP_SCHEDULE=dynamic,3
! RUN: sched_guided OMP_SCHEDULE=guided,2
! RUN: sched_static OMP_SCHEDULE=static
include 'check.inc'

module ws_counts
  implicit none
  integer, parameter :: n = 1000
  integer :: hits(n)
contains
  ! Every iteration exactly once, then reset.
  subroutine expect_once(what)
    use conformance
    character(len=*), intent(in) :: what
    call check(all(hits == 1), what // ': every iteration once')
    print '(a,a)', what, ': ok'
    hits = 0
  end subroutine expect_once
end module ws_counts

program fortran_worksharing
  use omp_lib
  use conformance
  use ws_counts
  implicit none
  integer :: i, j, last, k, nsec, sec(3), order(n), pos, owner(n)
  integer(8) :: i8, s8
  integer :: grid(20, 30), a(100), b(100)
  integer :: shared_val

  call check_runtime()
  hits = 0

  !$omp parallel private(i)
  !$omp do schedule(static)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end do
  !$omp do schedule(static, 7)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end do
  !$omp end parallel
  hits = hits - 1
  call expect_once('static and static,7')

  ! static,7: iteration i belongs to thread mod((i-1)/7, nthreads).
  !$omp parallel do schedule(static, 7)
  do i = 1, n
    owner(i) = omp_get_thread_num()
  end do
  !$omp end parallel do
  do i = 1, n
    call check(owner(i) == mod((i - 1) / 7, 4), 'static,7 assignment')
  end do
  print '(a)', 'static,7 assignment: ok'

  !$omp parallel do schedule(dynamic)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('dynamic')

  !$omp parallel do schedule(dynamic, 16)
  do i = n, 1, -1
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('dynamic,16 downwards')

  !$omp parallel do schedule(guided)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('guided')

  !$omp parallel do schedule(guided, 5)
  do i = 1, n, 3
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call check(all(hits(1:n:3) == 1) .and. count(hits == 1) == size(hits(1:n:3)), 'guided,5 stride 3')
  hits = 0
  print '(a)', 'guided,5 stride 3: ok'

  !$omp parallel do schedule(auto)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('auto')

  !$omp parallel do schedule(runtime)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('runtime (OMP_SCHEDULE)')

  call omp_set_schedule(omp_sched_dynamic, 4)
  !$omp parallel do schedule(runtime)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('runtime (omp_set_schedule dynamic,4)')

  ! monotonic / nonmonotonic modifiers.
  !$omp parallel do schedule(nonmonotonic: dynamic, 8)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end parallel do
  call expect_once('nonmonotonic:dynamic,8')

  ! integer(8) iteration variable across a large range (GOMP_loop_ull/long).
  s8 = 0
  !$omp parallel do schedule(dynamic, 1000) reduction(+:s8)
  do i8 = 5000000000_8, 5000099999_8
    s8 = s8 + (i8 - 5000000000_8)
  end do
  !$omp end parallel do
  print '(a,i0)', 'integer(8) loop sum ', s8

  ! collapse(2)
  grid = 0
  !$omp parallel do collapse(2) schedule(dynamic, 11)
  do j = 1, 30
    do i = 1, 20
      grid(i, j) = grid(i, j) + i * j
    end do
  end do
  !$omp end parallel do
  print '(a,i0)', 'collapse(2) sum ', sum(grid)

  ! ordered: iterations leave the ordered region in sequence.
  pos = 0
  !$omp parallel do ordered schedule(dynamic, 3)
  do i = 1, n
    !$omp ordered
    pos = pos + 1
    order(pos) = i
    !$omp end ordered
  end do
  !$omp end parallel do
  call check(all([(order(i) == i, i = 1, n)]), 'ordered sequence')
  print '(a)', 'ordered: in sequence'

  ! lastprivate and nowait
  last = -1
  !$omp parallel
  !$omp do lastprivate(last) schedule(guided, 3)
  do i = 1, 99
    last = i * 2
  end do
  !$omp end do nowait
  !$omp do schedule(static)
  do i = 1, n
    hits(i) = hits(i) + 1
  end do
  !$omp end do nowait
  !$omp end parallel
  print '(a,i0)', 'lastprivate ', last
  call expect_once('nowait')

  ! sections
  sec = 0
  nsec = 0
  !$omp parallel reduction(+:nsec)
  !$omp sections
  !$omp section
  sec(1) = sec(1) + 1
  nsec = nsec + 1
  !$omp section
  sec(2) = sec(2) + 2
  nsec = nsec + 1
  !$omp section
  sec(3) = sec(3) + 3
  nsec = nsec + 1
  !$omp end sections
  !$omp end parallel
  print '(a,3i2,a,i0)', 'sections ', sec, ' count ', nsec

  ! single with copyprivate: every thread gets the value the single set.
  k = 0
  !$omp parallel private(shared_val) reduction(+:k)
  !$omp single
  shared_val = 42
  !$omp end single copyprivate(shared_val)
  k = k + shared_val
  !$omp single
  k = k + 1000
  !$omp end single nowait
  !$omp end parallel
  print '(a,i0)', 'copyprivate sum ', k

  ! workshare on array syntax
  b = [(i, i = 1, 100)]
  !$omp parallel
  !$omp workshare
  a = 2 * b + 1
  !$omp end workshare
  !$omp end parallel
  print '(a,i0)', 'workshare sum ', sum(a)
end program fortran_worksharing
