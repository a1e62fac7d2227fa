! fortran_affinity.f90 - the affinity-format routines with Fortran
! character arguments: set/get with blank padding and truncation (the
! result is the full length), capture with fields, widths and zero
! padding, an empty format standing for affinity-format-var, the format of
! OMP_AFFINITY_FORMAT, and omp_display_affinity (which prints on stderr).
! ENV: OMP_NUM_THREADS=3
! RUN: default
! RUN: env OMP_AFFINITY_FORMAT=env:%L/%n
include 'check.inc'

program fortran_affinity
  use omp_lib
  use conformance
  implicit none
  character(len=60) :: buf, caps(0:2)
  character(len=8) :: short
  character(len=1) :: one
  integer :: n, lens(0:2)

  call check_runtime()

  ! The initial format (OMP_AFFINITY_FORMAT or the default).
  n = omp_get_affinity_format(buf)
  if (index(buf, 'env:') == 1) then
    print '(a,i0,a,a,a)', 'initial ', n, ' [', trim(buf), ']'
  else
    print '(a)', 'initial: default'
  end if
  n = omp_capture_affinity(buf, '')
  if (index(buf, 'env:') == 1) print '(a,i0,a,a,a)', 'capture with empty format ', n, ' [', buf(1:n), ']'

  call omp_set_affinity_format('tn=%0.3n of %N L%L')
  n = omp_get_affinity_format(buf)
  print '(a,i0,a,a,a)', 'get ', n, ' [', buf, ']'
  n = omp_get_affinity_format(short)
  print '(a,i0,a,a,a)', 'get short ', n, ' [', short, ']'
  n = omp_get_affinity_format(one)
  print '(a,i0,a,a,a)', 'get one ', n, ' [', one, ']'

  caps = 'unset'
  lens = -1
  !$omp parallel
  lens(omp_get_thread_num()) = omp_capture_affinity(caps(omp_get_thread_num()), '')
  !$omp end parallel
  print '(a,3(1x,i0))', 'capture lengths', lens
  print '(a,a,a)', '[', caps(0), ']'
  print '(a,a,a)', '[', trim(caps(1)), ']'
  print '(a,a,a)', '[', trim(caps(2)), ']'

  ! Widths, justification, long names, %% and truncation.
  !$omp parallel num_threads(2)
  !$omp master
  n = omp_capture_affinity(buf, '|%5n|%.5{thread_num}|%0.5N|%%|%{nesting_level}|')
  print '(a,i0,a,a,a)', 'fields ', n, ' [', trim(buf), ']'
  n = omp_capture_affinity(short, 'abcdefghijklmnop%n')
  print '(a,i0,a,a,a)', 'truncated ', n, ' [', short, ']'
  !$omp end master
  !$omp end parallel

  ! Trailing blanks of a character variable are part of the format.
  buf = 'x%n'
  call omp_set_affinity_format(buf(1:5))
  n = omp_capture_affinity(buf, '')
  print '(a,i0,a,a,a)', 'blanks kept ', n, ' [', buf(1:n), ']'

  ! Display: stderr only, so stdout stays the same.
  call omp_display_affinity('display %L')
  call omp_display_affinity('')
end program fortran_affinity
