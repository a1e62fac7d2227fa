! fortran_omp_lib.f90 - the omp_lib routines from Fortran, each through
! both generic forms where omp_lib has one (default integer and
! integer(8)/logical(8) arguments: the omp_*_8_ entry points), and the
! constants of omp_lib_kinds. Values that depend on the machine (number of
! processors, times) are checked, not printed.
! ENV: OMP_NUM_THREADS=3 OMP_MAX_TASK_PRIORITY=7 OMP_CANCELLATION=true
! ENV: OMP_THREAD_LIMIT=64
include 'check.inc'

program fortran_omp_lib
  use omp_lib
  use omp_lib_kinds
  use conformance
  implicit none
  integer :: i, k, chunk, ids(4), places(4), levels(2), sizes(2)
  integer(8) :: chunk8, ids8(4), places8(4), big
  integer(omp_sched_kind) :: kind
  integer(omp_allocator_handle_kind) :: al, al8
  type(omp_alloctrait) :: traits(1)
  integer(omp_event_handle_kind) :: ev
  integer(omp_lock_kind) :: lk
  integer(omp_nest_lock_kind) :: nlk
  real(8) :: t0, t1
  logical :: flag

  call check_runtime()

  ! omp_lib_kinds
  print '(a,2(1x,i0))', 'lock kinds (bytes)', storage_size(lk) / 8, storage_size(nlk) / 8
  print '(a,4(1x,i0))', 'sched kinds', omp_sched_static, omp_sched_dynamic, omp_sched_guided, omp_sched_auto
  print '(a,5(1x,i0))', 'proc_bind', omp_proc_bind_false, omp_proc_bind_true, omp_proc_bind_master, &
    omp_proc_bind_close, omp_proc_bind_spread
  print '(a,1x,i0,1x,i0)', 'handle kinds', omp_allocator_handle_kind, omp_event_handle_kind
  print '(a,i0)', 'openmp_version ', openmp_version

  ! Team size ICVs.
  call omp_set_num_threads(2)
  call check(omp_get_max_threads() == 2, 'omp_set_num_threads(2)')
  call omp_set_num_threads(4_8)
  print '(a,i0)', 'max threads after omp_set_num_threads(4_8) ', omp_get_max_threads()
  call omp_set_num_threads(3)
  print '(a,i0)', 'thread limit ', omp_get_thread_limit()

  call omp_set_dynamic(.true.)
  flag = omp_get_dynamic()
  print '(a,l1)', 'dynamic after .true. ', flag
  call omp_set_dynamic(.false._8)
  flag = omp_get_dynamic()
  print '(a,l1)', 'dynamic after .false._8 ', flag

  call omp_set_max_active_levels(3)
  print '(a,i0)', 'max active levels ', omp_get_max_active_levels()
  call omp_set_max_active_levels(1_8)
  print '(a,i0)', 'max active levels (8) ', omp_get_max_active_levels()
  call check(omp_get_supported_active_levels() >= 1, 'supported active levels')
  call omp_set_nested(.true._8)
  flag = omp_get_nested()
  print '(a,l1,1x,i0)', 'nested after .true._8 ', flag, omp_get_max_active_levels()
  call omp_set_nested(.false.)
  flag = omp_get_nested()
  print '(a,l1)', 'nested after .false. ', flag
  call omp_set_max_active_levels(2)

  ! Schedules; the monotonic modifier is masked off for Fortran.
  call omp_set_schedule(omp_sched_guided, 9)
  call omp_get_schedule(kind, chunk)
  print '(a,i0,1x,i0)', 'schedule ', kind, chunk
  call omp_set_schedule(omp_sched_dynamic, 2_8 ** 40)
  call omp_get_schedule(kind, chunk8)
  print '(a,i0,1x,i0)', 'schedule (8, clamped) ', kind, chunk8
  call omp_set_schedule(ior(omp_sched_dynamic, ishft(1, 31)), 5)  ! monotonic bit (not in GCC 12's omp_lib)
  call omp_get_schedule(kind, chunk)
  print '(a,i0,1x,i0)', 'monotonic dynamic reads back as ', kind, chunk

  ! Levels and ancestors, both kinds of argument.
  levels = -1; sizes = -1
  !$omp parallel num_threads(2)
  !$omp parallel num_threads(3)
  if (omp_get_thread_num() == 2 .and. omp_get_ancestor_thread_num(1_8) == 1) then
    levels = [omp_get_level(), omp_get_active_level()]
    sizes = [omp_get_team_size(1), int(omp_get_team_size(2_8))]
    call check(omp_get_ancestor_thread_num(2) == 2, 'ancestor at own level')
    call check(omp_get_ancestor_thread_num(5_8) == -1, 'ancestor beyond the level')
    flag = omp_in_parallel()
    call check(flag, 'omp_in_parallel in a nested region')
  end if
  !$omp end parallel
  !$omp end parallel
  print '(a,2(1x,i0),a,2(1x,i0))', 'levels', levels, ' sizes', sizes
  print '(a,i0,1x,i0)', 'team size outside (0, 1): ', omp_get_team_size(0), omp_get_team_size(1_8)

  ! Task routines, cancellation and priorities.
  flag = omp_in_final()
  print '(a,l1)', 'in_final outside ', flag
  flag = omp_get_cancellation()
  print '(a,l1,a,i0)', 'cancellation ', flag, ' max task priority ', omp_get_max_task_priority()
  !$omp parallel num_threads(2)
  !$omp single
  !$omp task detach(ev)
  i = 1
  !$omp end task
  call omp_fulfill_event(ev)
  !$omp taskwait
  !$omp end single
  !$omp end parallel
  print '(a)', 'detached task fulfilled'

  ! Places (none without OMP_PLACES) and proc_bind.
  ids = -7; ids8 = -7; places = -7; places8 = -7
  print '(a,i0,1x,i0,1x,i0)', 'places ', omp_get_num_places(), omp_get_place_num(), omp_get_partition_num_places()
  print '(a,i0,1x,i0)', 'place procs ', omp_get_place_num_procs(0), omp_get_place_num_procs(0_8)
  call omp_get_place_proc_ids(0, ids)
  call omp_get_place_proc_ids(0_8, ids8)
  call omp_get_partition_place_nums(places)
  call omp_get_partition_place_nums(places8)
  call check(all(ids == -7) .and. all(ids8 == -7) .and. all(places == -7) .and. all(places8 == -7), &
    'no place ids written without places')
  print '(a,i0)', 'proc_bind ', omp_get_proc_bind()

  ! Devices and teams.
  call omp_set_default_device(0)
  call omp_set_default_device(0_8)
  flag = omp_is_initial_device()
  print '(a,i0,1x,i0,1x,l1)', 'devices ', omp_get_num_devices(), omp_get_default_device(), flag
  call check(omp_get_initial_device() == omp_get_device_num(), 'on the initial device')
  print '(a,i0,1x,i0)', 'teams outside ', omp_get_num_teams(), omp_get_team_num()
  call omp_set_num_teams(4)
  print '(a,i0)', 'max teams ', omp_get_max_teams()
  call omp_set_num_teams(5_8)
  print '(a,i0)', 'max teams (8) ', omp_get_max_teams()
  call omp_set_teams_thread_limit(2)
  print '(a,i0)', 'teams thread limit ', omp_get_teams_thread_limit()
  call omp_set_teams_thread_limit(3_8)
  print '(a,i0)', 'teams thread limit (8) ', omp_get_teams_thread_limit()

  ! Time.
  t0 = omp_get_wtime()
  big = 0
  do i = 1, 100000
    big = big + i
  end do
  t1 = omp_get_wtime()
  call check(t1 >= t0 .and. omp_get_wtick() > 0 .and. omp_get_wtick() < 1, 'wtime and wtick')
  call check(omp_get_num_procs() >= 1, 'num_procs')

  ! Allocators.
  traits(1) = omp_alloctrait(omp_atk_alignment, 64)
  al = omp_init_allocator(omp_default_mem_space, 1, traits)
  al8 = omp_init_allocator(omp_default_mem_space, 1_8, traits)
  call check(al /= omp_null_allocator .and. al8 /= omp_null_allocator, 'omp_init_allocator')
  call omp_set_default_allocator(al)
  call check(omp_get_default_allocator() == al, 'default allocator set')
  call omp_set_default_allocator(omp_default_mem_alloc)
  call check(omp_get_default_allocator() == omp_default_mem_alloc, 'default allocator back')
  call omp_destroy_allocator(al)
  call omp_destroy_allocator(al8)
  print '(a)', 'allocators: ok'

  ! Pausing outside any region.
  print '(a,i0,1x,i0)', 'pause ', omp_pause_resource(omp_pause_soft, omp_get_initial_device()), &
    omp_pause_resource_all(omp_pause_hard)
  k = 0
  !$omp parallel reduction(+:k)
  k = k + 1
  !$omp end parallel
  print '(a,i0)', 'team after pause ', k

  ! omp_display_env prints on stderr.
  call omp_display_env(.false.)
  call omp_display_env(.false._8)
end program fortran_omp_lib
