! fortran_tasks.f90 - tasking from gfortran: recursive tasks with taskwait,
! taskgroup, depend (in/out/inout chains), if(.false.) and final tasks
! (omp_in_final), firstprivate data of a task, taskloop with grainsize and
! num_tasks (and a reduction), and tasks left to the end-of-region barrier.
! ENV: OMP_NUM_THREADS=4
! RUN: t4
! RUN: t2 OMP_NUM_THREADS=2
include 'check.inc'

module fib_tasks
  implicit none
contains
  recursive integer function fib(n) result(f)
    integer, intent(in) :: n
    integer :: a, b
    if (n < 2) then
      f = n
      return
    end if
    if (n < 12) then
      f = fib(n - 1) + fib(n - 2)
      return
    end if
    !$omp task shared(a) firstprivate(n)
    a = fib(n - 1)
    !$omp end task
    !$omp task shared(b) firstprivate(n)
    b = fib(n - 2)
    !$omp end task
    !$omp taskwait
    f = a + b
  end function fib
end module fib_tasks

program fortran_tasks
  use omp_lib
  use conformance
  use fib_tasks
  implicit none
  integer, parameter :: n = 400
  integer :: f, i, done(n), chain(6), x, finals, spawned
  integer(8) :: tl_sum

  call check_runtime()

  !$omp parallel
  !$omp single
  f = fib(24)
  !$omp end single
  !$omp end parallel
  print '(a,i0)', 'fib(24) = ', f

  ! taskgroup waits for descendants too.
  done = 0
  !$omp parallel
  !$omp single
  !$omp taskgroup
  do i = 1, n, 2
    !$omp task firstprivate(i)
    done(i) = done(i) + 1
    !$omp task firstprivate(i)
    done(i + 1) = done(i + 1) + 1
    !$omp end task
    !$omp end task
  end do
  !$omp end taskgroup
  call check(all(done == 1), 'taskgroup: all descendants done')
  !$omp end single
  !$omp end parallel
  print '(a)', 'taskgroup: ok'

  ! A dependence chain: each step reads the last one's result.
  chain = 0
  x = 1
  !$omp parallel
  !$omp single
  do i = 1, 6
    !$omp task depend(inout: x) firstprivate(i) shared(chain, x)
    x = x * 2 + i
    chain(i) = x
    !$omp end task
  end do
  !$omp task depend(in: x) shared(x, chain)
  call check(chain(6) == x, 'the reader runs after the last writer')
  !$omp end task
  !$omp end single
  !$omp end parallel
  print '(a,6(1x,i0))', 'depend chain', chain

  ! if(.false.) runs at once; final makes descendants included and final.
  finals = 0
  !$omp parallel
  !$omp single
  x = 0
  !$omp task if(.false.) shared(x)
  x = 5
  !$omp end task
  call check(x == 5, 'an undeferred task has run when the construct ends')
  !$omp task final(.true.) shared(finals)
  if (omp_in_final()) finals = finals + 1
  !$omp task shared(finals)
  if (omp_in_final()) finals = finals + 1
  !$omp end task
  !$omp end task
  !$omp taskwait
  !$omp end single
  !$omp end parallel
  print '(a,i0)', 'in_final seen ', finals

  ! taskloop: grainsize, num_tasks, reduction.
  done = 0
  !$omp parallel
  !$omp single
  !$omp taskloop grainsize(16)
  do i = 1, n
    done(i) = done(i) + 1
  end do
  !$omp end taskloop
  !$omp taskloop num_tasks(7)
  do i = 1, n
    done(i) = done(i) + 1
  end do
  !$omp end taskloop
  !$omp end single
  !$omp end parallel
  call check(all(done == 2), 'taskloop: every iteration once per loop')
  tl_sum = 0
  !$omp parallel
  !$omp single
  !$omp taskloop reduction(+:tl_sum) grainsize(10)
  do i = 1, n
    tl_sum = tl_sum + i
  end do
  !$omp end taskloop
  !$omp end single
  !$omp end parallel
  print '(a,i0)', 'taskloop reduction ', tl_sum

  ! Tasks spawned by every thread, finished by the region's end barrier.
  done = 0
  spawned = 0
  !$omp parallel reduction(+:spawned)
  !$omp do
  do i = 1, n
    !$omp task firstprivate(i)
    done(i) = done(i) + 1
    !$omp end task
    spawned = spawned + 1
  end do
  !$omp end do nowait
  !$omp end parallel
  call check(all(done == 1), 'the end barrier ran every task')
  print '(a,i0)', 'tasks at the end barrier ', spawned
end program fortran_tasks
