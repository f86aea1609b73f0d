// Choosing the function a report is named after.
//
// A call trace starts in the machinery that noticed the bug (KASAN, lockdep,
// printk, the WARN trap) and ends in entry code; the function worth naming is
// the first one that is neither. Which end to start from depends on the class.
#include <initializer_list>
#include <optional>

#include "splatscan/internal.h"
#include "splatscan/rules.h"

namespace splatscan {

namespace {

using Patterns = std::initializer_list<std::string_view>;
// A report class's own frames to pass over (Header::skip).
using ClassSkip = std::vector<std::string_view>;

// Glob patterns: '*' stands for any run of characters, so "foo*" matches
// names starting with "foo", "*foo" names ending with it, "*foo*" names
// holding it; "foo" matches only "foo".
bool glob(std::string_view p, std::string_view s) {
  std::size_t pi = 0, si = 0, star = std::string_view::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && p[pi] == s[si]) {
      ++pi;
      ++si;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// patterns: a Patterns table or a class's own skip list (Header::skip).
template <class PatternList>
bool matches(std::string_view func, const PatternList& patterns) {
  for (std::string_view p : patterns)
    if (!p.empty() && glob(p, func)) return true;
  return false;
}

// Reporting, tracing and trap machinery: never the culprit.
const Patterns kReporting = {
    "dump_stack*", "__dump_stack*", "show_stack*", "show_regs*", "__show_regs*",
    "show_trace*", "sched_show_task", "_sched_show_task", "print_*", "__print_*",
    "printk*", "_printk*", "vprintk*", "dev_vprintk_emit", "dev_printk*",
    "__dev_printk", "_dev_printk", "_dev_err", "_dev_warn", "_dev_info", "_dev_notice",
    "dev_err", "dev_warn", "dev_info", "dev_notice", "__warn*", "warn_*", "__report_bug",
    "report_bug", "handle_bug", "fixup_bug", "exc_invalid_op", "asm_exc_invalid_op",
    "do_error_trap", "do_trap", "do_invalid_op", "invalid_op", "do_int3*",
    "panic", "__panic", "panic_*", "nmi_*", "__nmi*", "trace_hardirqs_*",
    "arch_local_irq_*", "stack_trace_*", "save_stack*", "__save_stack*",
    "kasan*", "__kasan*", "__asan*", "asan_*", "check_memory_region*",
    "kmsan*", "__kmsan*", "__msan*", "kfence*", "__kfence*", "kcsan*", "__kcsan*",
    "__tsan*", "ubsan*", "__ubsan*", "__sanitizer*", "lockdep*", "__lockdep*",
    "lock_acquire*", "lock_release", "__lock_acquire", "__lock_release",
    "lock_acquired", "lock_contended", "lock_downgrade", "lock_is_held*",
    "lock_sync", "validate_chain", "check_prev_add", "check_prevs_add",
    "check_noncircular", "check_irq_usage", "check_deadlock", "check_usage*",
    "mark_lock*", "mark_usage", "mark_held_locks", "reacquire_held_locks", "valid_state",
    "debug_check_no_locks*", "register_lock_class", "look_up_lock_class",
    "hlock_class", "find_held_lock", "__might_sleep", "___might_sleep",
    "__might_fault", "__might_resched", "might_fault", "__cant_sleep*",
    "check_preemption_disabled", "debug_smp_processor_id", "__this_cpu_preempt_check",
    "refcount_*", "__refcount_*", "debug_object*", "__debug_object*",
    "debug_print_object", "debug_check_no_obj_freed", "__schedule_bug",
    "spin_dump", "spin_bug", "rwlock_bug", "do_raw_*", "__list_add_valid*",
    "__list_del_entry_valid*", "__list_add", "list_add", "list_add_tail",
    "__list_del_entry", "list_del", "list_del_init", "__bad_area*", "bad_area*",
    "no_context", "kernelmode_fixup_or_oops", "page_fault_oops", "__do_page_fault",
    "do_page_fault", "do_user_addr_fault", "exc_page_fault", "asm_exc_page_fault",
    "page_fault", "do_general_protection", "general_protection",
    "exc_general_protection", "asm_exc_general_protection", "die", "__die*",
    "oops_*", "bug_handler", "__bug", "usercopy_abort", "usercopy_warn",
    "__check_object_size", "check_object_size", "check_heap_object",
    "__check_heap_object", "report_usercopy", "dump_backtrace*", "__stack_chk_fail",
    "skb_panic", "skb_over_panic", "skb_under_panic", "fortify_panic", "__fortify_panic",
    "fortify_report", "__fortify_report", "__reiserfs_panic", "reiserfs_panic",
    "__x86_indirect_thunk*", "__x86_return_thunk", "__x86_indirect_*",
    "walk_stackframe", "unwind_*", "__unwind_*", "arch_stack_walk", "handle_overflow",
    "__rela*", "kmemleak_*", "create_object", "__create_object",
    // Tracepoint glue.
    "perf_trace_*", "trace_event_raw_event_*", "__traceiter_*", "__bpf_trace_*",
    "bpf_trace_run*",
    // WARN and panic paths of newer kernels.
    "check_panic_on_warn", "print_tainted", "add_taint", "get_taint",
    // arm64 and riscv exception entry: the frame after them faulted.
    "__do_kernel_fault", "do_kernel_fault", "do_tag_check_fault", "do_mem_abort", "do_translation_fault",
    "do_bad_area", "do_sea", "do_alignment_fault", "do_debug_exception", "el1_abort",
    "el1_da", "el1_dbg", "el1_undef", "el1_inv", "el1_sync*", "el1h_64_sync*",
    "do_el1_*", "brk_handler", "call_break_hook", "bug_brk_handler", "do_trap_break",
    "do_trap_ecall*", "do_trap_insn*",
};

// Generic kernel helpers that report or trip over a bug their caller made.
const Patterns kHelpers = {
    // Checksums, bit operations, atomics and hash tables touch memory for
    // their caller.
    "crc16", "crc32*", "__crc32*", "crc_itu_t", "crc_t10dif*", "crc8*", "crc64*",
    "crc_ccitt*", "test_and_set_bit*", "test_and_clear_bit*", "test_and_change_bit*", "test_bit", "set_bit", "clear_bit", "__set_bit",
    "__clear_bit", "change_bit", "find_*_bit", "_find_*_bit", "__bitmap_*", "bitmap_*",
    "atomic_*", "atomic64_*", "atomic_long_*", "arch_atomic*", "raw_atomic*",
    "rhashtable_*", "__rhashtable_*", "rht_*", "rhltable_*", "va_format",
    // Timers and work items queued on behalf of the caller.
    "lock_timer_base", "try_to_grab_pending", "__try_to_del_timer_sync", "try_to_del_timer_sync", "del_timer",
    "timer_delete", "__timer_delete", "__mod_timer", "mod_timer", "add_timer",
    "sk_stop_timer*", "sk_reset_timer", "__queue_work", "queue_work_on",
    "queue_delayed_work_on", "__queue_delayed_work", "mod_delayed_work_on",
    "insert_work", "__flush_workqueue", "flush_workqueue",
    // skb and page helpers that BUG on their caller's arguments.
    "skb_put", "__skb_put", "skb_push", "__skb_push", "skb_pull", "__skb_pull",
    "pskb_expand_head", "folio_unlock", "unlock_page", "put_page", "folio_put",
    "__folio_put", "assertfail", "klist_*", "_atomic_dec_and_*", "device_destroy", "tty_unregister_device",
    "string", "string_nocheck", "hex_string", "pointer", "vsnprintf", "snprintf",
    "sprintf", "scnprintf", "vscnprintf", "format_decode", "number", "__vsnprintf",
    "read_word_at_a_time", "strnstr", "rb_*", "__rb_*", "osq_lock", "kfree_skb*",
    "__kfree_skb*", "consume_skb", "kobject_*", "kref_put", "kref_get", "device_del",
    "device_unregister", "device_release", "put_device", "sysfs_remove_*",
    "sysfs_create_*", "__flush_work", "flush_work", "__cancel_work_timer",
    "__cancel_work*", "cancel_work_sync", "cancel_delayed_work_sync", "del_timer_sync",
    "timer_delete_sync", "__timer_delete_sync", "complete", "complete_all", "__wake_up*",
    "wake_up_*", "autoremove_wake_function", "default_wake_function", "try_to_wake_up",
    "kthread_stop", "mutex_remove_waiter", "usb_kill_urb", "usb_kill_anchored_urbs",
    "usb_start_wait_urb", "usb_poison_urb", "add_uevent_var", "kobject_uevent*",
    "devres_release_all", "device_release_driver*", "__device_release_driver",
    "rollback_registered*", "unregister_netdevice*", "proc_create*", "proc_register",
    "call_rcu*", "__call_rcu*", "get_device_parent", "__vunmap", "vfree", "vunmap", "__free_pages*",
    "free_pages*", "timer_is_static_object", "work_is_static_object",
    "lockdep_init_map*", "__init_work", "init_timer_key", "__mutex_init",
    "console_lock", "console_unlock", "console_trylock", "__virt_to_phys",
    "__phys_addr", "logic_inb", "logic_outb",
    // Generic object lifetimes that WARN when their caller misuses them.
    "ida_free", "ida_alloc*", "ida_simple_*", "ida_destroy", "drop_nlink", "clear_nlink",
    "inc_nlink", "set_nlink", "dput", "fast_dput", "iput", "ref_tracker_*",
    "__seqprop*", "seqprop_*", "device_add", "device_remove_file", "dpm_sysfs_remove",
    "bus_remove_device", "i2c_del_adapter", "rollback_registered", "unregister_netdev",
    "__dev_put", "dev_put", "netdev_put", "__netdev_put",
    // Submitting an URB checks and copies the caller's buffer.
    "usb_submit_urb", "usb_hcd_submit_urb",
    // Iterators run a callback on behalf of their caller.
    "device_for_each_child*", "bus_for_each_dev", "bus_for_each_drv",
    "__unregister_client", "i2c_unregister_device",
    "hwrng_unregister",      // unregistering frees on behalf of the driver
    // Library walkers and dumpers under lib/ that serve their caller's data
    // (also caught by kMachineryFiles when the log names the file).
    "xas_*",                 // xarray walkers: the caller's array is bad
    "idr_get_free*",         // radix-tree slot search for idr_alloc's caller
    "hex_dump_*",            // formats the caller's buffer
    "print_hex_dump*",       // prints the caller's buffer
    "cleanup_srcu_struct",   // WARNs when its caller still has readers
    // READ_ONCE_NOCHECK helpers the unwinder and KASAN-exempt code inline.
    "*read_once*nocheck*", "*write_once*nocheck*",
};

// Library copies and string helpers: the caller is the interesting one.
const Patterns kLibrary = {
    "memcpy*", "memset*", "memmove*", "memcmp", "__memcpy*", "__memset*",
    "__memmove*", "memchr*", "strlen", "strnlen", "strcpy", "strncpy", "strscpy*",
    "strcmp", "strncmp", "strchr", "strrchr", "strstr", "strcat", "strlcpy",
    "_copy_to_user", "_copy_from_user", "__copy_*user*", "copy_user_*",
    "copyin", "copyout",
    // Any copy into or out of an iterator (simple_copy_to_iter,
    // copy_page_to_iter, ...) serves the caller that walks it.
    "*copy_to_iter*", "*copy_from_iter*", "copy_page_to_iter", "copy_page_from_iter",
    "copy_folio_to_iter",
    "raw_copy_*", "__arch_copy_*", "csum_partial_copy*", "rep_movs*",
    "__get_user*", "__put_user*", "get_user*", "put_user*", "strncpy_from_user",
    "do_strncpy_from_user", "memdup_user*",
};

// Lock primitives: a deadlock or a bad lock is named after its user.
const Patterns kLocking = {
    "_raw_*", "__raw_*", "raw_spin_*", "spin_*", "do_raw_*", "queued_*",
    "native_queued_*", "__pv_queued_*", "pv_queued_*", "mutex_lock*",
    "mutex_optimistic_spin", "mutex_spin_on_owner",
    "mutex_unlock*", "mutex_trylock*", "__mutex_*", "down_read*", "down_write*",
    "up_read", "up_write", "downgrade_write", "__down*", "__up*", "down", "up",
    "down_interruptible", "down_killable", "down_trylock", "down_timeout",
    "rwsem_*", "__rwsem*", "rt_mutex*", "__rt_mutex*", "rtlock_*", "rwbase_*",
    "percpu_down*", "percpu_up*", "__percpu_down*", "ww_mutex*", "__ww_mutex*",
    "rcu_read_lock*", "rcu_read_unlock*", "__rcu_read_lock", "__rcu_read_unlock",
    "rcu_lock_acquire", "rcu_lock_release", "local_bh_*", "__local_bh_*",
    "read_lock*", "write_lock*", "read_unlock*", "write_unlock*",
    "lock_sock*", "release_sock", "__lock_sock*",
    // Runqueue locks: the scheduler function taking them is the user.
    "raw_spin_rq_*", "*task_rq_lock", "*task_rq_unlock", "rq_lock*", "rq_unlock*",
};

// What a blocked task waits in.
const Patterns kWaiting = {
    "schedule*", "__schedule*", "io_schedule*", "context_switch", "__switch_to*",
    "preempt_schedule*", "wait_for_completion*", "__wait_for_common",
    "wait_for_common*", "do_wait_for_common", "__wait_*", "wait_on_*", "call_rwsem_*",
    "out_of_line_wait_on_*", "bit_wait*", "wait_woken", "prepare_to_wait*",
    "finish_wait", "rwsem_down_*", "flush_work", "__flush_work", "flush_workqueue",
    "__flush_workqueue", "drain_workqueue", "__wait_rcu_gp", "folio_wait_*", "__folio_lock*",
    "folio_lock*", "wait_on_page_*", "__lock_page*", "lock_page*", "msleep*",
    "usleep_range*", "schedule_timeout*", "percpu_rwsem_wait", "kthread_stop*",
    "__kthread_stop*", "wb_wait_for_completion", "wait_event*", "rwsem_wait",
    "do_read_cache_folio", "do_read_cache_page", "rcu_barrier*",
    "__filemap_fdatawait*",
    "filemap_fdatawait*", "filemap_write_and_wait*", "fdatawait_one_bdev",
    "fdatawrite_one_bdev", "usb_control_msg", "usb_bulk_msg", "usb_interrupt_msg",
    "ldsem_down_*", "tty_ldisc_lock*",
};

// A hung task is a victim: it waits on whatever really hangs. Hangs behind
// the two locks most tasks queue on are bucketed under that lock, so one
// stuck owner gives one title, as syzkaller's pkg/report buckets them
// (linuxHangTaskFrameExtractor). {pattern, title}: an empty title names the
// frame itself.
struct HungAnchor {
  std::string_view pattern;
  std::string_view title;
};
constexpr HungAnchor kHungAnchors[] = {
    {"*rtnl_lock*", ""},                     // the networking config lock
    {"*synchronize_rcu*", "synchronize_rcu"},   // an RCU grace period...
    {"*synchronize_srcu*", "synchronize_rcu"},  // ...of any flavour
    {"*synchronize_net*", "synchronize_rcu"},   // networking's wrapper of it
    {"*synchronize_sched*", "synchronize_rcu"}, // the older sched flavour
};

// Words that mark a frame of a hung task as waiting rather than working,
// matched anywhere in the name as syzkaller matches them.
const Patterns kHungWaitWords = {
    "*sched*",                // schedule() and the scheduler core
    "*_lock*", "*_slowlock*", // lock acquisition, any lock, any variant
    // Semaphores and rwsems (down, down_read, __down_common,
    // percpu_down_write); as words, so that a driver's "..._shutdown" that
    // hangs is still named.
    "down*", "__down*", "*_down_*", "*_down",
    "*rwsem*",                // rwsem slow paths
    "*completion*",           // wait_for_completion and friends
    "*kthread*",              // kthread_stop, kthread_park
    "*wait*",                 // wait queues, wait_on_bit, ...
    "*synchronize*",          // grace periods not bucketed above
    "*context_switch*", "*__switch_to*",  // the switch itself
    "*cancel_delayed_work*",  // waiting for a work item to finish
    "*rcu_barrier*",          // waiting for RCU callbacks
};

// Entry code and generic dispatch: a hang or a deadlock is named after a
// function below these.
const Patterns kEntryAndDispatch = {
    "entry_*", "do_syscall_*", "do_fast_syscall*", "__do_fast_syscall*",
    "do_int80_syscall*", "__do_syscall*", "syscall_exit*", "exit_to_user*",
    "exit_to_usermode*", "syscall_trace*", "ret_from_fork*", "ret_fast_syscall",
    "ret_from_intr", "kthread", "worker_thread", "process_one_work",
    "process_scheduled_works", "smpboot_thread_fn", "rescuer_thread",
    "el0_svc*", "el0t_*", "el0_sync*", "do_el0_svc*", "invoke_syscall*",
    "el1h_*", "el1_*", "vector_swi", "__sys_trace*", "system_call*",
    "sys_read", "sys_write", "sys_readv", "sys_writev", "sys_pread64",
    "sys_pwrite64", "sys_preadv*", "sys_pwritev*", "sys_ioctl", "compat_sys_ioctl",
    "SyS_read", "SyS_write", "SyS_readv", "SyS_writev", "SyS_ioctl",
    "ksys_*", "vfs_read", "vfs_write", "__vfs_read", "__vfs_write", "vfs_readv",
    "vfs_writev", "do_readv*", "do_writev*", "do_iter_*", "vfs_iter_*",
    "new_sync_read", "new_sync_write", "call_read_iter", "call_write_iter",
    "do_vfs_ioctl", "vfs_ioctl", "__do_sys_ioctl", "do_loop_readv_writev",
    "sys_sendmsg", "sys_sendmmsg", "sys_sendto", "sys_recvmsg", "sys_recvmmsg",
    "sys_recvfrom", "SyS_sendmsg", "SyS_sendmmsg", "SyS_sendto", "SyS_recvmsg",
    "SyS_recvfrom", "__sys_*", "___sys_*", "sock_sendmsg*", "sock_recvmsg*",
    "sock_write_iter", "sock_read_iter", "__sock_sendmsg", "____sys_*",
    "irq_exit*", "__irq_exit*", "do_softirq*", "__do_softirq", "handle_softirqs",
    "run_ksoftirqd", "invoke_softirq", "sysvec_*", "asm_sysvec_*", "__sysvec_*",
    "apic_timer_interrupt", "smp_apic_timer_interrupt", "common_interrupt",
    "asm_common_interrupt", "call_on_stack", "asm_call_*", "do_softirq_own_stack",
    "run_on_irqstack*", "__run_timers", "run_timer_softirq", "call_timer_fn",
    "expire_timers", "rcu_do_batch", "rcu_core*", "rcu_process_callbacks",
    "net_rx_action", "__napi_poll", "napi_poll", "process_backlog", "tasklet_action*",
    "hrtimer_interrupt", "__hrtimer_run_queues", "hrtimer_run_softirq",
    "cpu_startup_entry", "do_idle", "cpuidle_*", "default_idle*", "arch_cpu_idle",
    "start_secondary", "secondary_startup*", "x86_64_start_*", "start_kernel",
    "rest_init", "arch_call_rest_init",
};

// Allocator entry points: a leak is named after the caller that allocated.
const Patterns kAllocators = {
    "kmalloc*", "__kmalloc*", "kmem_cache_*", "__kmem_cache*", "slab_*", "__slab*",
    "___slab*", "kzalloc*", "kcalloc*", "kmalloc_array*", "kvmalloc*",
    "__kvmalloc*", "kvzalloc*", "kvcalloc*", "krealloc*", "__krealloc*",
    "kmemdup*", "kstrdup*", "kstrndup*", "kmemleak*", "alloc_pages*",
    "__alloc_pages*", "__get_free_pages", "get_zeroed_page", "vmalloc*",
    "__vmalloc*", "vzalloc*", "memdup_user*", "kfree*", "kvfree*", "__kfree*",
    "kmem_cache_free*", "slab_free*", "__slab_free*", "kfree_skb*", "__kfree_skb*",
    "kobject_*", "kvasprintf*", "kasprintf*", "pcpu_*", "sk_prot_alloc", "sock_kmalloc",
    "__list_lru_init", "list_lru_init*", "alloc_inode", "__alloc_skb", "alloc_skb*",
    "__netdev_alloc_skb", "create_object", "__create_object",
    "___kmalloc*", "kmalloc_order*", "__alloc_frozen_pages*", "alloc_frozen_pages*",
    "alloc_page_interleave", "alloc_pages_mpol*", "folio_alloc*", "__folio_alloc*",
    "free_large_kmalloc", "__free_frozen_pages*", "free_frozen_pages*",
};

// Constructors that allocate for their caller: a leak belongs to whoever
// asked for the object, so skip these in kmemleak backtraces only.
const Patterns kAllocWrappers = {
    "*_alloc", "*_zalloc", "alloc_*", "__alloc_*", "*_alloc_node", "sk_alloc",
    "dev_alloc_skb*", "netdev_alloc_skb*", "__netdev_alloc_skb*", "sget_userns",
    "*_alloc_skb", "pcpu_*", "__list_lru_init", "kvmalloc*",
};

// More helpers that allocate on behalf of their caller, for kmemleak
// backtraces only (elsewhere these names can be the culprit).
const Patterns kLeakSkip = {
    "*alloc*",          // any allocation wrapper: kvzalloc, sock_alloc_inode, ...
    "*kmem*",           // slab caches and kmemleak hooks
    "*slab*",           // slab internals
    "*mmap*",           // mappings allocated for the caller
    "create_object",    // kmemleak's record of the allocation
    "*idr_get*",        // idr_get_free: id maps grow for their caller
    "*strdup*", "*strndup*", "*memdup*",  // copies made for the caller
    "*kasprintf*", "*kvasprintf*",        // formatted copies made for the caller
    "*pcpu_create*",    // per-CPU chunks
    "*list_lru_init*",  // shrinker lists set up for the caller
    "kernfs_*", "__kernfs_*",  // sysfs nodes created for the caller
};

// Files whose frames allocate for their caller in a kmemleak backtrace.
const Patterns kLeakSkipFiles = {
    "fs/kernfs/*",        // sysfs and cgroup nodes
    "lib/idr.c",          // id maps
    "lib/radix-tree.c",   // id maps' tree nodes
    "mm/page_alloc.c",    // page allocator
    "mm/percpu*.c",       // per-CPU allocator
    "mm/vmalloc.c",       // vmalloc
    "mm/util.c",          // kstrdup, kmemdup, kvmalloc
};

// Helpers whose WARNING is titled "caller/helper" (see FrameRule::kHeader).
const Patterns kWarnsForCaller = {"usb_submit_urb"};

// Families of machinery matched anywhere in a name, as syzbot matches them:
// the wrappers and variants of each family ("_raw_spin_lock_irqsave",
// "devm_kzalloc", "__list_add_valid_or_report", "string_nocheck") are the
// same machinery as the family's primitive.
const Patterns kMachineryFamilies = {
    "*spin_lock*", "*spin_trylock*", "*spin_unlock*",  // spinlocks and their irq variants
    "*read_lock*", "*read_trylock*", "*read_unlock*",  // rwlocks, rcu_read_lock
    "*write_lock*", "*write_trylock*", "*write_unlock*",
    "*kasan*", "*kmsan*", "*__sanitizer*", "*lockdep*",  // sanitizer and lockdep runtimes
    "*debug_object*",                                    // ODEBUG checks
    "*kmem_cache*", "*slab_*",                           // slab allocator
    "*kmalloc*", "*kzalloc*", "*kcalloc*", "*vmalloc*", "*vzalloc*",  // allocation wrappers
    "*memcpy*", "*memset*", "*memmove*", "*memcmp*", "*memchr*",      // memory helpers
    "*strlen*", "*strnlen*", "*strcmp*", "*strncmp*", "*strcpy*", "*strncpy*", "*strscpy*",
    "*strlcpy*", "*strstr*", "*strchr*",                              // string helpers
    "*list_add*", "*list_del*",                          // list manipulation and checks
    "*printk*", "*dump_stack*", "*show_stack*",          // printing
    "*report_bug*", "*warn_slowpath*",                   // WARN plumbing
    "*set_bit*", "*clear_bit*", "*change_bit*", "*test_bit*",  // bit operations
    "*copy_to_user*", "*copy_from_user*", "*put_user*", "*get_user*",  // user copies
    "*might_fault*", "*might_sleep*",                    // sleep checks
    "*list_replace*", "*list_move*", "*list_splice*",    // list manipulation
    "*snprintf*", "*kasprintf*",                         // formatting
    "*__wake_up*", "*queue_work*", "*flush_work*", "*del_timer*",  // wakeups, work, timers
    "*wait_for_completion*",                             // waiting for the caller
    "*alloc_page*",                                      // page allocator entry points
    "*hex_dump_to_buffer*", "*print_hex_dump*",          // dump the caller's buffer
    "*ref_tracker*",                                     // reference tracking checks
    "*stack_trace_save*", "*walk_stack*",                // trace collection
};

// The words syzkaller's pkg/report passes over anywhere in a frame's name
// (linuxStackParams.skipPatterns in pkg/report/linux.go) that the tables
// above only knew in some spellings. syzbot's titles are made with these
// words, so a frame holding one never names a report: whatever new wrapper,
// variant or subsystem copy of the helper a kernel grows is passed over too.
const Patterns kSyzkallerSkipWords = {
    "*hwasan*",                      // tag-based KASAN runtime
    "*check_object*",                // slab/usercopy object checks
    "*read_word_at_a_time*",         // word-at-a-time string reads
    "*panic*",                       // panic paths of every subsystem
    "*invalid_op*",                  // the ud2 trap behind BUG/WARN
    "*fixup_bug*",                   // BUG trap decoding
    "*do_error*",                    // trap entry (do_error_trap)
    "*_trap", "*do_trap*",           // trap entry of every architecture
    "*dump_backtrace*",              // arm64 trace printing
    "*__warn*", "*warn_alloc*", "*warn_bogus*",  // WARN and allocation-failure warnings
    "*malloc*", "*zalloc*", "*calloc*", "*krealloc*",  // every allocation wrapper
    "*allocate_slab*",               // slab page allocation
    "*folio_alloc*", "*folio_unlock*",  // page cache folio allocation and unlocking
    "*filemap_alloc_folio*", "*__filemap_get_folio*",  // page cache lookups...
    "*find_or_create_page*", "*pagecache_get_page*",   // ...that allocate for the caller
    "*do_read_cache_folio*", "*read_cache_page*",      // ...or read for it
    "*grab_cache_page_write_begin*",
    "*print_unlock*", "*imbalance_bug*",  // lockdep's unlock reports
    "*bh_enable*", "*bh_disable*",   // softirq masking around the caller's work
    "*perf_trace*",                  // tracepoint glue
    "*lock_acquire*", "*lock_release*", "*lock_class*",  // lockdep hooks in every lock
    "*mark_lock*", "*reacquire_held_locks*", "*mark_held_locks*",  // lockdep state tracking
    "*raw_spin_rq*",                 // runqueue locks
    "*down_read*", "*down_write*", "*down_trylock*",  // rwsems and semaphores
    "*up_read*", "*up_write*",
    "mutex_*", "__mutex_*", "rt_mutex_*",  // mutexes, every variant
    "*owner_on_cpu*", "*osq_lock*", "*osq_unlock*",  // mutex spinning
    "kref_*",                        // kref_get/put: lifetime of the caller's object
    "*memdup*", "*strdup*", "*strndup*",  // copies made for the caller
    "*_indirect_thunk_*",            // retpolines
    "*string*", "*pointer*",         // vsprintf's formatting helpers
    "*scnprintf*", "*kvasprintf*", "*va_format*",  // formatting
    "*dev_info*", "*dev_notice*", "*dev_warn*", "*dev_err*",  // device printk
    "*dev_alert*", "*dev_crit*", "*dev_emerg*",
    "*program_check_exception*", "*program_check_common*",  // powerpc trap entry
    "*__cancel_work_timer*", "*cancel_work_sync*", "*try_to_grab_pending*",  // work cancelling
    "*drain_workqueue*", "*destroy_workqueue*", "*finish_wait*",  // waiting for others' work
    "*kthread_stop*",                // stopping a thread waits for it
    "*kobject_*", "*add_uevent_var*", "*get_device_parent*",  // driver core on behalf of a driver
    "*device_add*", "*device_del*", "*device_unregister*", "*device_destroy*",
    "*device_release*", "*devres_release_all*", "*device_for_each_child*",
    "*device_remove_file*", "*sysfs_remove*",
    "*hwrng_unregister*", "*i2c_del_adapter*", "*__unregister_client*",  // bus unregistration
    "*rollback_registered*", "*unregister_netdev*", "*tty_unregister_device*",
    "*dummy_urb_enqueue*", "*usb_kill_urb*", "*usb_kill_anchored_urbs*",  // USB core for a driver
    "*usb_control_msg*", "*usb_hcd_submit_urb*",
    "*readb", "*readw", "*readl", "*readq",  // MMIO accessors
    "*writeb", "*writew", "*writel", "*writeq",
    "*logic_in*", "*logic_out*",     // port I/O emulation
    "*__might_resched*", "*assertfail*",  // sleep checks and asserts
    "iput_final", "ihold",           // inode lifetime
    "*trace_hardirq*", "*trace_softirq*", "*lockdep_hardirq*", "*lockdep_softirq*",  // irq tracing
    "lock_page*", "unlock_page*",    // page locks
    "*stack_trace_consume_entry*", "*arch_stack_walk*",  // trace collection
    "*find_lock_entries*", "*truncate_inode_pages_range*",  // page cache walkers
    "*extract_user_to_sg*", "*extract_iter_to_sg*",  // iterator to scatterlist helpers
    "*rhashtable_lookup*",           // hash table walkers
    "*dput*",                        // dentry lifetime
    "*__mod_timer*", "*sk_stop_timer_sync*", "*__timer_delete_sync*",  // timers for the caller
    "*print_tainted*", "get_taint",  // taint printing
    "*__fortify_report*",            // FORTIFY_SOURCE reports
};

// Source files whose functions only ever report, allocate, lock or serve
// their caller: when the log says which file a frame comes from, this
// project's own trace readers pass a frame from one of these over whatever
// its name (a helper that no name table lists yet, such as a new xarray or
// lockdep function, still is). The readers that follow syzkaller's steps do
// not look at files: syzkaller's titles name such frames (mas_walk in
// lib/maple_tree.c, delete_node in lib/radix-tree.c, valid_state in
// lockdep, kthread as a stall's anchor).
const Patterns kMachineryFiles = {
    "mm/kasan/*",               // KASAN runtime: detects, never causes
    "mm/kmsan/*",               // KMSAN runtime
    "mm/kfence/*",              // KFENCE runtime
    "kernel/kcsan/*",           // KCSAN runtime
    "lib/ubsan.c",              // UBSAN handlers
    "kernel/locking/*",         // lockdep and the lock primitives
    "mm/slub.c",                // slab allocator: the caller asked for or freed the object
    "mm/slab.c",                // older slab allocator, same reason
    "mm/slab_common.c",         // kmalloc and kfree entry points
    "mm/kmemleak.c",            // kmemleak's own hooks in every allocation
    "kernel/printk/*",          // printk and console locking
    "lib/dump_stack.c",         // prints the trace itself
    "kernel/panic.c",           // WARN and panic plumbing
    "lib/bug.c",                // WARN/BUG trap decoding
    "lib/list_debug.c",         // list checks report their caller's corruption
    "lib/debugobjects.c",       // ODEBUG checks report their caller's misuse
    "lib/refcount.c",           // refcount_t checks report their caller's misuse
    "lib/vsprintf.c",           // formatting helpers read what the caller passed
    "lib/string.c",             // string helpers
    "lib/string_helpers.c",     // string helpers
    "lib/hexdump.c",            // hex_dump_to_buffer and print_hex_dump
    "lib/xarray.c",             // xas_* walkers serve the caller's array
    "lib/radix-tree.c",         // idr_get_free and radix tree walkers
    "lib/idr.c",                // id allocators serve the caller's map
    "lib/rbtree.c",             // tree helpers
    "lib/bitmap.c",             // bit helpers
    "lib/find_bit.c",           // bit helpers
    "lib/usercopy.c",           // user copies
    "lib/strncpy_from_user.c",  // user copies
    "arch/x86/lib/*",           // memcpy, memset and user copies in assembly
    "arch/x86/kernel/dumpstack*.c",  // trace printing
    "arch/x86/kernel/traps.c",  // WARN/BUG and int3 traps
    "arch/x86/kernel/unwind_*.c",    // unwinders (__read_once_word_nocheck)
    "arch/arm64/kernel/stacktrace.c",  // trace printing
    "arch/arm64/kernel/traps.c",  // BRK and BUG traps
    // Whole families, as syzkaller's pkg/report passes over them when it
    // looks for the file to blame (guiltyFileIgnores in linux.go): code that
    // mostly runs on behalf of its caller.
    "lib/*",                    // library code: walkers, parsers, checks, copies
    "virt/lib/*",               // the same for virtualisation helpers
    "include/*",                // out-of-line copies of header inlines
    "kernel/kcov.c",            // coverage hooks in every function
    "mm/percpu*.c",             // per-CPU allocator
    "mm/vmalloc.c",             // vmalloc and vfree
    "mm/page_alloc.c",          // page allocator
    "mm/util.c",                // kstrdup, kmemdup, kvmalloc
    "arch/*/mm/fault.c",        // page-fault handling of every architecture
    "arch/*/kernel/traps.c",    // trap handling of every architecture
    "kernel/softirq.c",         // softirq dispatch
    "kernel/time/timer.c",      // timer dispatch and timer helpers
    "kernel/workqueue.c",       // work dispatch, queueing and flushing
    "kernel/kthread.c",         // kthread start, stop and parking
    "arch/x86/entry/*",         // entry code
    "kernel/entry/*",           // generic entry code
    "arch/arm64/kernel/entry*",   // entry code
};

bool is_machinery(std::string_view func) {
  return matches(func, kReporting) || matches(func, kLibrary) ||
         matches(func, kLocking) || matches(func, kHelpers) || matches(func, kAllocators) ||
         matches(func, kMachineryFamilies) || matches(func, kSyzkallerSkipWords);
}

bool is_machinery(const Frame& f) {
  return is_machinery(f.func) || (!f.file.empty() && matches(f.file, kMachineryFiles));
}

// Lines that begin a section whose frames do not belong to the bug site.
bool ends_primary_stack(std::string_view b) {
  return starts_with(b, "Allocated by task") || starts_with(b, "Freed by task") ||
         starts_with(b, "The buggy address") || starts_with(b, "Memory state around") ||
         starts_with(b, "Last potentially related") ||
         starts_with(b, "Second to last potentially") ||
         starts_with(b, "Uninit was created") || starts_with(b, "Uninit was stored") ||
         starts_with(b, "Local variable") || starts_with(b, "allocated by task") ||
         starts_with(b, "freed by task") || starts_with(b, "kfence-#") ||
         starts_with(b, "Showing all locks held") || starts_with(b, "NMI backtrace for cpu") ||
         starts_with(b, "Sending NMI from CPU");
}

bool ends_with_at(std::string_view b) {
  return b.size() > 4 && b.substr(b.size() - 4) == " at:";
}

std::vector<Frame> frames_in(const std::vector<std::string_view>& lines, std::size_t begin,
                             std::size_t end) {
  std::vector<Frame> out;
  for (std::size_t i = begin; i < end && i < lines.size(); ++i) {
    std::string_view b = trim(lines[i]);
    if (i > begin && ends_primary_stack(b)) break;
    // "Preemption disabled at:" and similar notes name an earlier site on
    // the next line; it is not part of the trace.
    if (i > begin && ends_with_at(trim(lines[i - 1]))) continue;
    if (auto f = parse_frame(b)) {
      // "func file.c:12 [inline]" is the symboliser's note of code inlined
      // into the next real frame, not a frame of its own: syzkaller's
      // pkg/report only reads frames with an offset ("func+0x1/0x2"), so
      // titles never name an inlined function.
      if (!f->reliable || f->inlined) continue;
      std::string from = std::move(f->from);
      if (out.empty() || out.back().func != f->func) out.push_back(std::move(*f));
      if (!from.empty() && out.back().func != from) out.push_back(Frame{from, true, false, {}, {}});
    }
  }
  return out;
}

std::string first_not(const std::vector<Frame>& frames,
                      std::initializer_list<Patterns> skip, const ClassSkip& extra = {}) {
  for (const Frame& f : frames) {
    bool skipped = is_machinery(f) || matches(f.func, extra);
    for (const Patterns& p : skip) skipped = skipped || matches(f.func, p);
    if (!skipped) return f.func;
  }
  return {};
}

// The faulting instruction pointer's frame, with its file when symbolised.
std::optional<Frame> ip_frame(const std::vector<std::string_view>& lines) {
  for (std::string_view l : lines) {
    if (auto f = parse_ip_frame(l)) return f;
  }
  return std::nullopt;
}

std::string ip_function(const std::vector<std::string_view>& lines) {
  auto f = ip_frame(lines);
  return f ? f->func : std::string();
}

std::size_t find_line(const std::vector<std::string_view>& lines, std::size_t from,
                      bool (*pred)(std::string_view)) {
  for (std::size_t i = from; i < lines.size(); ++i)
    if (pred(trim(lines[i]))) return i;
  return lines.size();
}

// ---- A stall's frame the way syzkaller's pkg/report takes it ----
//
// linux.go reads a stall's trace in fixed steps ("parts"): for a soft
// lockup, the first instruction-pointer line after the header, then the
// "Call Trace:" line, then every frame until the next trace starts; for an
// RCU stall, the first line naming apic_timer_interrupt, the next
// instruction-pointer line, then the frames (or, when that finds none, the
// frames after the first apic_timer_interrupt / "Exception stack" /
// el1h_64_irq line). Frames its skip words name are dropped; of the rest,
// the one just inside the first dispatch anchor names the stall
// (linuxStallFrameExtractor). Written here from that description.

// The skip words of syzkaller's stack reader that kMachineryFamilies and
// kSyzkallerSkipWords do not already hold (its anchored words and the
// sanitizer runtimes), as globs.
const Patterns kSyzkallerSkipRest = {
    "*__asan*", "*__msan*", "*kcsan_setup_watchpoint*", "*check_memory_region*",
    "*check_heap_object*", "*read_once_*nocheck*", "*write_once_*nocheck*",
    "*print_address_description*", "*print_report*", "*print_usage_bug*",
    "*__alloc_frozen_pages_noprof*", "*timer_is_static_object*", "*work_is_static_object*",
    "down", "*atomic_dec*", "*atomic_inc*", "*atomic_read*", "*atomic_set*", "*atomic_or*",
    "*atomic_xor*", "*atomic_and*", "*atomic_add*", "*atomic_sub*", "*atomic_fetch*",
    "*atomic_xchg*", "*atomic_cmpxchg*", "*atomic_try*", "*atomic64_dec*", "*atomic64_inc*",
    "*atomic64_read*", "*atomic64_set*", "*atomic64_or*", "*atomic64_xor*", "*atomic64_and*",
    "*atomic64_add*", "*atomic64_sub*", "*atomic64_fetch*", "*atomic64_xchg*",
    "*atomic64_cmpxchg*", "*atomic64_try*", "refcount_*", "*seqprop_assert*", "*strnstr*",
    "*copy_to_iter*", "*copy_from_iter*", "*copy_folio_to_iter*", "*copy_page_to_iter*",
    "*copy_page_from_iter*", "copyin", "copyout",
    "rb_*", "__rb_*", "*usb_submit_urb*", "complete", "kfree", "kvfree", "*kfree_skb*",
    "crc0*", "crc1*", "crc2*", "crc3*", "crc4*", "crc5*", "crc6*", "crc7*", "crc8*", "crc9*",
    "*crc_itu_t*", "iput", "klist_*", "*insert_work*", "*__queue_delayed_work*",
    "*queue_delayed_work_on*", "*ida_free*", "*do_kernel_fault*", "*do_translation_fault*",
    "*do_mem_abort*", "*el1_abort*", "*el1h_64_sync*", "*xas_start*", "*xas_load*",
    "*xas_find*", "*__phys_addr*", "*cleanup_srcu_struct*", "*drop_nlink*", "put_device",
    "*lock_timer_base*",
};

bool syzkaller_skips(std::string_view raw) {
  return matches(raw, kMachineryFamilies) || matches(raw, kSyzkallerSkipWords) ||
         matches(raw, kSyzkallerSkipRest);
}

// linuxStallAnchorFrames, as globs over the prefix-stripped name.
const Patterns kSyzkallerStallAnchors = {
    "*process_one_work*", "*do_syscall_*", "*do_fast_syscall_*", "*sysenter_dispatch*",
    "*tracesys_phase2*", "*el0_svc_handler*", "*invoke_syscall*", "*ret_fast_syscall*",
    "*netif_receive_skb*", "*do_softirq*", "*call_timer_fn*", "*_run_timers*",
    "*run_timer_softirq*", "*hrtimer_run*", "*run_ksoftirqd*", "*smpboot_thread_fn*",
    "kthread", "*start_secondary*", "*cpu_startup_entry*", "*ret_from_fork*",
    "*vfs_write*", "*vfs_read*", "*vfs_iter_read*", "*vfs_iter_write*", "*do_iter_read*",
    "*do_iter_write*", "*call_read_iter*", "*call_write_iter*", "*new_sync_read*",
    "*new_sync_write*", "*vfs_ioctl*", "*ksys_ioctl*", "*compat_ioctl*", "*compat_sys_ioctl*",
    "*blkdev_driver_ioctl*", "*blkdev_ioctl*", "*do_iter_readv_writev*", "call_mmap*",
    "*mmap_region*", "*do_mmap*", "*do_dentry_open*", "*vfs_open*", "sock_sendmsg*",
    "sock_recvmsg*", "sock_release*", "__sock_release*", "setsockopt", "*kernel_setsockopt*",
    "*sock_common_setsockopt*", "listen", "*kernel_listen*", "*sk_common_release*",
    "sock_mmap*", "accept", "*kernel_accept*", "sock_do_ioctl*", "sock_ioctl*",
    "compat_sock_ioctl*", "nfnetlink_rcv_msg*", "rtnetlink_rcv_msg*", "netlink_dump*",
    "socketpair*", "connect*", "ioctl*", "sys_socketpair*", "sys_connect*", "sys_ioctl*",
    "*__do_fault*", "*do_page_fault*", "page_fault", "*__fput*", "*task_work_run*",
    "*exit_to_usermode*", "*smp_call_function*", "*tasklet_action*", "*tasklet_hi_action*",
};

// "[<ffffffff81000000>]" (or without the angle brackets) at s[i]: its length.
std::size_t pc_length(std::string_view s, std::size_t i) {
  if (i >= s.size() || s[i] != '[') return 0;
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '<') ++j;
  if (s.compare(j, 2, "0x") == 0) j += 2;
  std::size_t digits = j;
  while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || (s[j] >= 'a' && s[j] <= 'f'))) ++j;
  if (j == digits) return 0;
  if (j < s.size() && s[j] == '>') ++j;
  if (j >= s.size() || s[j] != ']') return 0;
  return j + 1 - i;
}

bool func_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A name followed by '.' or '+' at s[i] ("foo+0x1/0x2", "foo.isra.0+..."):
// the name, or empty.
std::string_view func_at(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size() && func_char(s[j])) ++j;
  if (j == i || j >= s.size() || (s[j] != '.' && s[j] != '+')) return {};
  return s.substr(i, j - i);
}

// A frame as the kernel's scripts/decode_stacktrace.sh prints it, its
// offset replaced by where it is, "foo (path/file.c:12)", at s[i]: foo, or
// empty. syzkaller symbolises logs itself and never meets this form; logs
// a developer or a robot has decoded carry it, and it is the same frame.
std::string decoded_func_at(std::string_view s, std::size_t i) {
  if (i >= s.size() || !parse_decoded_frame(s.substr(i))) return {};
  std::size_t j = i;
  while (j < s.size() && func_char(s[j])) ++j;
  return std::string(s.substr(i, j - i));
}

// arm's line without addresses, "foo from bar+0x1/0x2" (a module name may
// follow), as the whole line: foo and bar, or nothing. parse_frame knows
// the shape; a line that starts with a name and gives a caller is it.
std::vector<std::string> arm_plain_frames(std::string_view s, std::size_t i) {
  if (i >= s.size() || !func_char(s[i])) return {};
  std::optional<Frame> f = parse_frame(s.substr(i));
  if (!f || f->from.empty()) return {};
  // The unwinder's own level is dropped: the frame-pointer unwinder's
  // dump_backtrace is a skip word, and the table unwinder is no less
  // the machinery printing the trace.
  if (f->func == "unwind_backtrace") return {f->from};
  return {f->func, f->from};
}

// The frames one trace line holds: " [<..>] [<..>] foo+0x1/0x2" from the
// line's start, or arm's "[<..>] (foo) from [<..>] (bar+0x1/0x2)". Beyond
// linux.go's own patterns, arm's form without addresses ("foo from
// bar+0x1/0x2", CONFIG_BACKTRACE_VERBOSE=n) is read the way the verbose
// one is; syzbot's arm kernels print the verbose form, so its titles never
// meet this one.
std::vector<std::string> syz_frames_of(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  std::size_t after_spaces = i;
  if (std::vector<std::string> plain = arm_plain_frames(s, i); !plain.empty()) return plain;
  for (int k = 0; k < 2; ++k) {
    std::size_t n = pc_length(s, i);
    if (!n || i + n >= s.size() || s[i + n] != ' ') break;
    i += n + 1;
  }
  if (std::string_view f = func_at(s, i); !f.empty()) return {std::string(f)};
  if (std::string f = decoded_func_at(s, i); !f.empty()) return {f};
  // arm: "[<c0100000>] (foo) from [<c0100000>] (bar+0x1/0x2)"
  i = after_spaces;
  std::size_t n = pc_length(s, i);
  if (!n || s.compare(i + n, 2, " (") != 0) return {};
  std::size_t a = i + n + 2, close = s.find(')', a);
  if (close == std::string_view::npos || s.compare(close, 7, ") from ") != 0) return {};
  std::size_t b = close + 7, m = pc_length(s, b);
  if (!m || s.compare(b + m, 2, " (") != 0) return {};
  std::string_view second = func_at(s, b + m + 2);
  if (second.empty()) return {};
  return {std::string(s.substr(a, close - a)), std::string(second)};
}

// An instruction-pointer line ("RIP: 0010:foo+0x1/0x2", "pc : foo+..",
// "PC is at foo+..", "IP: [<..>] foo+.."): nullopt when the line is none;
// an empty name when it names no function (a user-space "RIP: 0033:0x4a").
std::optional<std::string> syz_ip_frame(std::string_view s) {
  // Where the line last says "(null)", found once: a long line with many
  // "IP" words must not be searched again from each of them.
  const std::size_t last_null = s.rfind("(null)");
  for (std::string_view mark : {"IP", "NIP", "pc ", "PC is at"}) {
    for (std::size_t at = s.find(mark); at != std::string_view::npos; at = s.find(mark, at + 1)) {
      std::size_t i = at + mark.size();
      if (i < s.size() && s[i] == ':') ++i;
      if (i >= s.size() || s[i] != ' ') continue;
      ++i;
      std::size_t seg = i;
      while (seg < s.size() && s[seg] >= '0' && s[seg] <= '9') ++seg;
      std::size_t j = (seg > i && seg < s.size() && s[seg] == ':') ? seg + 1 : i;
      if (s.compare(j, 2, "0x") == 0) return std::string();
      std::size_t k = j;
      for (int p = 0; p < 2; ++p) {
        std::size_t n = pc_length(s, k);
        if (!n) break;
        k += n;
        while (k < s.size() && s[k] == ' ') ++k;
      }
      if (std::string_view f = func_at(s, k); !f.empty()) return std::string(f);
      if (std::string f = decoded_func_at(s, k); !f.empty()) return f;
      if (last_null != std::string_view::npos && last_null >= j) return std::string();
    }
  }
  return std::nullopt;
}

// A line that starts another trace (stackStartRes in linux.go).
bool syz_stack_start(std::string_view s) {
  if (contains(s, "Call Trace") || contains(s, "Call trace") || contains(s, "Allocated:") ||
      contains(s, "Freed:") || contains(s, "Backtrace:") ||
      contains(s, "Uninit was stored to memory at"))
    return true;
  for (std::string_view w : {"Allocated by task ", "Freed by task "}) {
    std::size_t at = s.find(w);
    if (at != std::string_view::npos) {
      std::size_t i = at + w.size(), d = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      if (i > d && i < s.size() && s[i] == ':') return true;
    }
  }
  // " backtrace:" or " backtrace (crc 1a2b):", but not "stack backtrace:".
  for (std::size_t at = s.find(" backtrace"); at != std::string_view::npos;
       at = s.find(" backtrace", at + 1)) {
    if (at == 0 || s[at - 1] == 'k') continue;
    std::size_t i = at + 10;
    if (s.compare(i, 6, " (crc ") == 0) {
      std::size_t close = s.find(')', i);
      if (close == std::string_view::npos) continue;
      i = close + 1;
    }
    if (i < s.size() && s[i] == ':') return true;
  }
  return false;
}

// A fault-injection frame mixed into the report (corruptedLines).
// (A console capture may have taken the frame's leading space with the
// timestamp, so spaces are optional here.)
bool syz_fault_injection(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size() && s[i] == '[') {
    std::size_t n = pc_length(s, i);
    if (!n) return false;
    i += n;
    while (i < s.size() && s[i] == ' ') ++i;
  }
  if (s.compare(i, 11, "should_fail") != 0) return false;
  i += 11;
  if (s.compare(i, 4, "slab") == 0) i += 4;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && (std::islower(static_cast<unsigned char>(s[i])) ||
                            std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
      ++i;
  }
  return s.compare(i, 3, "+0x") == 0;
}

enum class Part { kIp, kIpOrInterrupt, kCallTrace, kTimerInterrupt, kIrqEntry, kAtFunc, kParse };

// A lockdep lock line's site as linux.go's "at: (?:{{PC}} +)?{{FUNC}}"
// reads it: the function after "at: " (and a "[<pc>]"), with an offset or a
// suffix; a symboliser's inlined note ("at: spin_lock include/...h:351
// [inline]") has neither and yields nothing.
std::optional<std::string> syz_at_frame(std::string_view s) {
  for (std::size_t at = s.find("at: "); at != std::string_view::npos; at = s.find("at: ", at + 1)) {
    std::size_t i = at + 4;
    if (std::size_t n = pc_length(s, i)) {
      std::size_t j = i + n;
      while (j < s.size() && s[j] == ' ') ++j;
      if (j > i + n) {
        if (std::string_view f = func_at(s, j); !f.empty()) return std::string(f);
      }
    }
    if (std::string_view f = func_at(s, i); !f.empty()) return std::string(f);
  }
  return std::nullopt;
}

// Runs the parts over lines; the frames they yield, or nullopt when a part
// found nothing or a fault-injection line cut in (syzkaller: corrupted).
std::optional<std::vector<std::string>> syz_run_parts(const std::vector<std::string_view>& lines,
                                                      std::initializer_list<Part> parts,
                                                      const ClassSkip& extra) {
  std::vector<std::string> frames;
  bool ok = true;
  std::size_t i = 0;
  // Only syzkaller's skip words and the class's own pass a frame over, not
  // the file it comes from: syzkaller's titles name frames in lib/ (mas_walk,
  // delete_node), in lockdep (valid_state) and in entry code, and so do
  // these readers.
  auto keep = [&](const std::string& f) {
    if (syzkaller_skips(f) || matches(f, extra)) return;
    frames.push_back(f);
  };
  for (Part part : parts) {
    if (part == Part::kParse) {
      for (; i < lines.size(); ++i) {
        std::string_view s = lines[i];
        if (syz_fault_injection(s)) {
          ok = false;
          ++i;
          break;
        }
        if (syz_stack_start(s)) {
          ++i;
          break;
        }
        for (const std::string& f : syz_frames_of(s)) keep(f);
      }
      continue;
    }
    for (; i < lines.size(); ++i) {
      std::string_view s = lines[i];
      if (syz_fault_injection(s)) {
        ok = false;
        ++i;
        break;
      }
      bool hit = false;
      if (part == Part::kIp || part == Part::kIpOrInterrupt) {
        if (auto f = syz_ip_frame(s)) {
          if (!f->empty()) keep(*f);
          hit = true;
        } else if (part == Part::kIpOrInterrupt) {
          // powerpc: "--- interrupt: 700 at foo+0x1/0x2"
          std::size_t at = s.find("--- interrupt: ");
          std::size_t in = at == std::string_view::npos ? at : s.find(" at ", at + 16);
          if (in != std::string_view::npos) {
            std::string_view num = s.substr(at + 16, in - at - 16);
            bool digits = !num.empty();
            for (char c : num) digits = digits && c >= '0' && c <= '9';
            std::string_view name = digits ? func_at(s, in + 4) : std::string_view();
            if (!name.empty()) {
              keep(std::string(name));
              hit = true;
            }
          }
        }
      } else if (part == Part::kAtFunc) {
        if (auto f = syz_at_frame(s)) {
          keep(*f);
          hit = true;
        }
      } else if (part == Part::kCallTrace) {
        hit = contains(s, "Call Trace:") || contains(s, "Call trace:") || contains(s, "Backtrace:");
      } else if (part == Part::kTimerInterrupt) {
        hit = contains(s, "apic_timer_interrupt");
      } else {
        hit = contains(s, "apic_timer_interrupt") || contains(s, "Exception stack") ||
              contains(s, "el1h_64_irq");
      }
      if (hit) {
        ++i;
        break;
      }
    }
  }
  if (frames.empty() || !ok) return std::nullopt;
  return frames;
}

// linuxStallFrameExtractor over the prefix-stripped frames.
std::string syz_stall_anchor(const std::vector<std::string>& raw) {
  std::string prev;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string f = normalize_func(raw[i]);
    if (i == 0) prev = f;
    if (matches(f, kSyzkallerStallAnchors)) {
      if (contains(f, "smp_call_function")) return "smp_call_function";
      return prev;
    }
    prev = f;
  }
  return {};
}

// The lines syzkaller reads: without the "? " frames of an unsure unwinder
// or powerpc's " (unreliable)" frames (it drops those lines unless they
// also end an interrupt stack, "<EOI>").
std::vector<std::string_view> without_unsure_frames(const std::vector<std::string_view>& all) {
  std::vector<std::string_view> lines;
  lines.reserve(all.size());
  for (std::string_view l : all) {
    // powerpc marks a guessed frame with a " (unreliable)" suffix instead.
    std::string_view t = trim(l);
    constexpr std::string_view kUnreliable = " (unreliable)";
    bool unsure = contains(l, " ? ") ||
                  (t.size() >= kUnreliable.size() && t.substr(t.size() - kUnreliable.size()) == kUnreliable);
    if (!unsure || contains(l, "<EOI>")) lines.push_back(l);
  }
  return lines;
}

// A stack overflow is read like a stall (linux.go's stack guard page,
// "corrupted stack end" and "kernel stack overflow" formats): the function
// just inside the first dispatch anchor of the trace.
std::string syz_overflow_function(const std::vector<std::string_view>& all, std::string_view title) {
  static const ClassSkip kSchedule = {"*schedule*", "*retint_kernel*"};
  static const ClassSkip kBadStack = {"*bad_stack*"};
  static const ClassSkip kNone;
  std::vector<std::string_view> lines = without_unsure_frames(all);
  std::optional<std::vector<std::string>> f;
  if (starts_with(title, "BUG: stack guard page"))
    f = syz_run_parts(lines, {Part::kIp, Part::kCallTrace, Part::kParse}, kNone);
  else
    f = syz_run_parts(lines, {Part::kCallTrace, Part::kParse},
                      starts_with(title, "kernel stack overflow") ? kBadStack : kSchedule);
  return f ? syz_stall_anchor(*f) : std::string();
}

// A WARN() trap's frame as linux.go's warningStackFmt takes it: the
// function on the first instruction-pointer line (or powerpc's "---
// interrupt: N at"), unless a skip word names it; then the first frame of
// the call trace no skip word names.
std::string syz_warning_function(const std::vector<std::string_view>& all, const ClassSkip& extra) {
  std::vector<std::string_view> lines = without_unsure_frames(all);
  bool ip_line = false;
  for (std::string_view l : lines) ip_line = ip_line || syz_ip_frame(l).has_value();
  // Without one (older kernels' "WARNING: at file.c:12 func()"), the
  // header's function names it (guilty_function's own reading).
  if (!ip_line) return {};
  auto f = syz_run_parts(lines, {Part::kIpOrInterrupt, Part::kParse}, extra);
  if (!f) f = syz_run_parts(lines, {Part::kCallTrace, Part::kParse}, extra);
  return f ? normalize_func(f->front()) : std::string();
}

// A circular locking dependency as linux.go's format reads it: where the
// new lock is taken, else where the held one was, else the first frame of
// the dependency chains that follow, each unless a skip word names it.
std::string syz_deadlock_function(const std::vector<std::string_view>& all, const ClassSkip& extra) {
  auto f = syz_run_parts(without_unsure_frames(all), {Part::kAtFunc, Part::kAtFunc, Part::kParse},
                         extra);
  return f ? normalize_func(f->front()) : std::string();
}

// The frames below "Call Trace:" up to the next trace, as linux.go's
// [CallTrace, parse] steps read them, without those skip words (syzkaller's
// and extra) name; nullopt when there is no such line or no frame is left.
std::optional<std::vector<std::string>> syz_call_trace_frames(
    const std::vector<std::string_view>& lines, const ClassSkip& extra) {
  return syz_run_parts(without_unsure_frames(lines), {Part::kCallTrace, Part::kParse}, extra);
}

std::string syz_stall_function(const std::vector<std::string_view>& all, bool rcu) {
  static const ClassSkip kRcuSkip = {"*apic_timer_interrupt*", "*rcu*"};
  static const ClassSkip kNone;
  std::vector<std::string_view> lines = without_unsure_frames(all);
  if (rcu) {
    auto f = syz_run_parts(lines, {Part::kTimerInterrupt, Part::kIp, Part::kParse}, kRcuSkip);
    std::string name = f ? syz_stall_anchor(*f) : std::string();
    if (!name.empty()) return name;
    f = syz_run_parts(lines, {Part::kIrqEntry, Part::kParse}, kRcuSkip);
    return f ? syz_stall_anchor(*f) : std::string();
  }
  auto f = syz_run_parts(lines, {Part::kIp, Part::kCallTrace, Part::kParse}, kNone);
  return f ? syz_stall_anchor(*f) : std::string();
}

// Function after "at:" on a lockdep lock line ("(&lock){+.+.}, at: func+0x..").
// Empty for a symboliser's inlined note ("at: spin_lock include/...h:351
// [inline]"): the lock line is repeated with the function it was inlined into.
std::string lock_site(std::string_view b) {
  std::size_t at = b.find("at: ");
  if (at == std::string_view::npos) return {};
  auto f = parse_frame(b.substr(at + 4));
  return f && !f->inlined ? f->func : std::string();
}

// The lock site on the line that starts with intro, or on the lines after it
// (a symbolised log repeats the lock line once per inlined function; an older
// one puts the function alone on the next line after "at:"); empty when
// lockdep did not print it.
std::string lock_site_after(const std::vector<std::string_view>& lines,
                            std::string_view intro) {
  for (std::size_t i = 0; i < lines.size() && i < 40; ++i) {
    std::string_view b = trim(lines[i]);
    if (!contains(b, intro)) continue;
    std::string f = lock_site(b);
    bool bare = b.size() >= 3 && b.substr(b.size() - 3) == "at:";
    for (std::size_t j = i + 1; f.empty() && j < lines.size() && j < i + 12; ++j) {
      std::string_view next = trim(lines[j]);
      if (bare) {
        auto fr = parse_frame(next);
        if (!fr) break;
        if (!fr->inlined) f = fr->func;
      } else {
        if (!contains(next, "at: ")) break;
        f = lock_site(next);
      }
    }
    return f;
  }
  return {};
}

bool is_deadlock_skip(std::string_view func, const ClassSkip& extra) {
  return is_machinery(func) || matches(func, extra) || matches(func, kWaiting) || matches(func, kEntryAndDispatch);
}

// A deadlock is named after where the new lock is taken, else where the held
// one was taken, else the first dependency chain that leaves generic code.
// An irq-safe -> irq-unsafe report instead names where the safe lock was
// first taken in interrupt context.
std::string deadlock_function(const std::vector<std::string_view>& lines,
                              const ClassSkip& extra) {
  std::string_view head = lines.empty() ? std::string_view() : trim(lines[0]);
  // Recursive locking and an irq lock inversion name the lock site lockdep
  // prints after its intro, whatever function it is: linux.go reads them
  // with a report pattern and no skip list.
  for (auto [header, intro] : {std::pair<std::string_view, std::string_view>{
                                   "possible recursive locking", "is trying to acquire lock"},
                               {"possible irq lock inversion", "just changed the state of lock"}}) {
    if (!contains(head, header)) continue;
    std::string f = lock_site_after(lines, intro);
    if (!f.empty()) return f;
  }
  if (contains(head, "-safe -> ") && contains(head, "-unsafe lock order")) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      std::string_view b = trim(lines[i]);
      if (!starts_with(b, "... which became ") || !contains(b, "-irq-safe at:")) continue;
      std::vector<Frame> frames;
      for (std::size_t j = i + 1; j < lines.size(); ++j) {
        std::string_view l = trim(lines[j]);
        if (l.empty() || starts_with(l, "...")) break;
        if (auto f = parse_frame(l); f && !f->inlined && f->reliable)
          frames.push_back(std::move(*f));
      }
      std::string f = first_not(frames, {kWaiting, kEntryAndDispatch}, extra);
      if (!f.empty()) return f;
      break;
    }
  }
  if (contains(head, "circular locking dependency")) {
    std::string f = syz_deadlock_function(lines, extra);
    if (!f.empty()) return f;
  }
  for (std::string_view intro : {"is trying to acquire", "already holding"}) {
    std::string f = lock_site_after(lines, intro);
    if (!f.empty() && !is_deadlock_skip(f, extra)) return f;
  }
  auto is_chain = [](std::string_view b) { return starts_with(b, "-> #"); };
  for (std::size_t c = find_line(lines, 0, is_chain); c < lines.size();
       c = find_line(lines, c + 1, is_chain)) {
    std::vector<Frame> frames;
    for (std::size_t j = c + 1; j < lines.size(); ++j) {
      std::string_view l = trim(lines[j]);
      if (l.empty() || is_chain(l)) break;
      if (auto f = parse_frame(l); f && !f->inlined && f->reliable) frames.push_back(std::move(*f));
    }
    std::string f = first_not(frames, {kWaiting, kEntryAndDispatch}, extra);
    if (!f.empty()) return f;
  }
  return {};
}

// The first frame of the trace that is neither machinery, a wait, nor in
// the class's own skip list; else the function the header names.
std::string trace_function(const Header& h, const std::vector<std::string_view>& lines) {
  for (const Frame& fr : frames_in(lines, 1, lines.size())) {
    if (is_machinery(fr) || matches(fr.func, kWaiting) || matches(fr.func, h.skip)) continue;
    return fr.func;
  }
  return h.header_func;
}

// See kHungAnchors: the lock everyone waits on, else the first frame that is
// neither machinery nor waiting.
std::string hung_function(const std::vector<std::string_view>& lines, const ClassSkip& extra) {
  // linux.go's steps first: the frames below "Call Trace:" that its common
  // skip words leave, then its hang extractor (the anchors, then the first
  // frame no wait word names).
  if (auto raw = syz_call_trace_frames(lines, extra)) {
    std::vector<std::string> names;
    for (const std::string& r : *raw) names.push_back(normalize_func(r));
    for (const std::string& f : names)
      for (const HungAnchor& a : kHungAnchors)
        if (glob(a.pattern, f)) return a.title.empty() ? f : std::string(a.title);
    for (const std::string& f : names)
      if (!matches(f, kHungWaitWords)) return f;
  }
  std::vector<Frame> frames = frames_in(lines, 1, lines.size());
  for (const Frame& f : frames) {
    if (is_machinery(f)) continue;
    for (const HungAnchor& a : kHungAnchors)
      if (glob(a.pattern, f.func)) return a.title.empty() ? f.func : std::string(a.title);
  }
  // The socket lock sleeps on its owner like a mutex, but it is not a lock
  // primitive to syzkaller's hang extractor: a task stuck taking it hangs in
  // lock_sock_nested, whoever called it.
  static const Patterns kSleepingSocketLock = {"lock_sock_nested", "__lock_sock"};
  for (const Frame& f : frames) {
    if (matches(f.func, kSleepingSocketLock)) return f.func;
    if (is_machinery(f) || matches(f.func, kWaiting) || matches(f.func, kHungWaitWords) ||
        matches(f.func, extra))
      continue;
    return f.func;
  }
  return {};
}

// With page_owner, a bad page is blamed on whoever allocated it: the first
// frame of "page last allocated via" that is not the page allocator.
std::string page_owner_function(const std::vector<std::string_view>& lines) {
  auto is_owner = [](std::string_view b) { return starts_with(b, "page last allocated via"); };
  std::size_t o = find_line(lines, 0, is_owner);
  if (o >= lines.size()) return {};
  std::vector<Frame> frames;
  for (std::size_t i = o + 1; i < lines.size(); ++i) {
    std::string_view b = trim(lines[i]);
    if (starts_with(b, "page last free")) break;
    if (auto f = parse_frame(b); f && !f->inlined && f->reliable) frames.push_back(std::move(*f));
  }
  // What syzkaller passes over in that trace (the "Bad page" format's skip
  // list in pkg/report/linux.go), as words anywhere in a name: the page
  // allocator and every wrapper that allocates for its caller, page and
  // folio reference helpers, page-cache truncation, vmap, page_owner itself.
  static const Patterns kPageAlloc = {
      "*alloc*",                   // allocators and allocation wrappers of every kind
      "*free_page*", "*put_page*", "*get_page*",      // page reference helpers...
      "*update_page*", "*release_page*",              // ...including get_page_from_freelist
      "*free_unref*",              // freeing to the per-CPU lists
      "folio*", "_folio*", "__folio*",  // folio helpers (syzkaller's ^_*folio)
      "*truncate_inode_pages*",    // page-cache truncation frees for its caller
      "*page_frag_free*",          // page fragment allocator
      "*vmap*",                    // vmap maps pages for its caller
      "*page_owner*",              // page_owner's own hook
      "prep_new_page",             // the allocator preparing the page it hands out
      "pagecache_get_page", "grab_cache_page*", "find_or_create_page"};  // page-cache lookups that allocate
  return first_not(frames, {kPageAlloc});
}

// A leaked lock in a work item is blamed on the work function.
std::string last_function(const std::vector<std::string_view>& lines) {
  for (std::string_view l : lines) {
    std::string_view b = trim(l);
    if (!starts_with(b, "last function: ")) continue;
    std::string f = normalize_func(trim(b.substr(15)));
    if (!f.empty()) return f;
  }
  return {};
}

// Reports about one lock are named where that lock was taken or released,
// which lockdep prints before the backtrace (Header::site_intro); else the
// backtrace names them.
std::string lockdep_function(const Header& h, const std::vector<std::string_view>& lines) {
  if (!h.site_intro.empty()) {
    std::string f = lock_site_after(lines, h.site_intro);
    if (!f.empty() && (h.site_as_printed || !is_deadlock_skip(f, h.skip))) return f;
  }
  auto is_backtrace = [](std::string_view b) { return starts_with(b, "stack backtrace:"); };
  std::size_t bt = find_line(lines, 0, is_backtrace);
  std::string f;
  if (bt < lines.size()) f = first_not(frames_in(lines, bt + 1, lines.size()), {}, h.skip);
  if (f.empty()) f = first_not(frames_in(lines, 1, lines.size()), {}, h.skip);
  // Cut short before its trace (another oops interrupted it): the lock
  // line still says where the task was.
  if (f.empty()) {
    f = lock_site_after(lines, "is trying to");
    if (is_deadlock_skip(f, h.skip)) f.clear();
  }
  return f;
}

}  // namespace

std::string guilty_function(const Header& h, const std::vector<std::string_view>& lines) {
  switch (h.frame) {
    case FrameRule::kNone:
      return {};
    case FrameRule::kHeader: {
      if (h.warn_trap) {
        // A WARNING raised in usb_submit_urb is its caller's: "caller/usb_submit_urb".
        if (!lines.empty() && contains(lines[0], " usb_submit_urb")) {
          static const ClassSkip kUrb = {"*usb_submit_urb*", "*usb_start_wait_urb*", "*usb_bulk_msg*",
                                         "*usb_interrupt_msg*", "*usb_control_msg*"};
          std::string f = syz_warning_function(lines, kUrb);
          return (f.empty() ? std::string("corrupted") : f) + "/usb_submit_urb";
        }
        if (std::string f = syz_warning_function(lines, h.skip); !f.empty()) return f;
      }
      // The header's function, then the faulting IP, then the trace.
      std::vector<Frame> frames;
      if (!h.header_func.empty()) {
        std::string file = lines.empty() ? std::string() : source_file(lines[0]);
        frames.push_back(Frame{h.header_func, true, false, {}, file});
      }
      if (auto ip = ip_frame(lines)) frames.push_back(std::move(*ip));
      for (Frame& f : frames_in(lines, 1, lines.size())) frames.push_back(std::move(f));
      // A core helper that warns about its caller's arguments (a driver's
      // bad URB) is named together with that caller: "caller/helper".
      std::string first = frames.empty() ? std::string() : frames.front().func;
      if (matches(first, kWarnsForCaller)) {
        std::string caller;
        for (std::size_t i = 1; i < frames.size() && caller.empty(); ++i) {
          const std::string& g = frames[i].func;
          if (g != first && !is_machinery(g) && !matches(g, kWarnsForCaller)) caller = g;
        }
        return (caller.empty() ? std::string("corrupted") : caller) + "/" + first;
      }
      return first_not(frames, {}, h.skip);
    }
    case FrameRule::kRipThenTrace:
      // When the steps find no frame (no RIP line or trace, or a fault
      // injection trace cut in), syzkaller calls the report corrupted; this
      // reader still names what its own reading finds, as it did before.
      if (auto f = syz_run_parts(without_unsure_frames(lines), {Part::kIp, Part::kCallTrace, Part::kParse}, h.skip))
        return normalize_func(f->front());
      [[fallthrough]];
    case FrameRule::kIp: {
      std::vector<Frame> frames;
      std::string ip = ip_function(lines);
      if (auto f = ip_frame(lines)) frames.push_back(std::move(*f));
      for (Frame& f : frames_in(lines, 1, lines.size())) frames.push_back(std::move(f));
      std::string f = first_not(frames, {kWaiting}, h.skip);
      return f.empty() ? ip : f;
    }
    case FrameRule::kTrace:
      if (h.warn_trap) {
        if (std::string f = syz_warning_function(lines, h.skip); !f.empty()) return f;
      }
      return trace_function(h, lines);
    case FrameRule::kHeaderThenTrace: {
      // The sanitizer names the access site in its header; the trace is
      // only needed when a skip word names that site (memcpy, strlen). As
      // linux.go reads it, the file it is in does not count (a KASAN report
      // in lib/vsprintf.c's number() is titled "in number").
      static const ClassSkip kHwTags = {"*kernel_fault*", "*tag_check*", "*mem_abort*", "el1_*",
                                        "el1h_*"};  // frames of KASAN_HW_TAGS reports
      const std::string& head = h.header_func;
      if (!head.empty() && !syzkaller_skips(head) && !matches(head, h.skip) && !matches(head, kHwTags))
        return head;
      // Then linux.go's steps: KASAN's frames below "Call Trace:", KFENCE's
      // right below its header (it prints no such line), past the skip
      // words and the class's own; a frame's file does not count there
      // either (an arm64 tag fault is titled "in do_bad_area").
      ClassSkip skip = h.skip;
      skip.insert(skip.end(), kHwTags.begin(), kHwTags.end());
      std::optional<std::vector<std::string>> f;
      if (starts_with(h.title, "KFENCE:")) {
        std::vector<std::string_view> rest(lines.begin() + (lines.empty() ? 0 : 1), lines.end());
        f = syz_run_parts(without_unsure_frames(rest), {Part::kParse}, skip);
      } else {
        f = syz_call_trace_frames(lines, skip);
      }
      if (f) return normalize_func(f->front());
      return trace_function(h, lines);
    }
    case FrameRule::kPageOwner: {
      std::string f = page_owner_function(lines);
      return f.empty() ? trace_function(h, lines) : f;
    }
    case FrameRule::kLastFunction: {
      std::string f = last_function(lines);
      return f.empty() ? trace_function(h, lines) : f;
    }
    case FrameRule::kLockdep:
      return lockdep_function(h, lines);
    case FrameRule::kDeadlock: {
      std::string f = deadlock_function(lines, h.skip);
      return f.empty() ? lockdep_function(h, lines) : f;
    }
    case FrameRule::kHung:
      return hung_function(lines, h.skip);
    case FrameRule::kStall:
      return syz_stall_function(lines, starts_with(h.title, "INFO: rcu"));
    case FrameRule::kCallTrace: {
      if (h.warn_trap) {
        if (std::string f = syz_warning_function(lines, h.skip); !f.empty()) return f;
      }
      auto f = syz_call_trace_frames(lines, h.skip);
      return f ? normalize_func(f->front()) : trace_function(h, lines);
    }
    case FrameRule::kFirstTrace: {
      std::vector<std::string_view> rest(lines.begin() + (lines.empty() ? 0 : 1), lines.end());
      auto f = syz_run_parts(without_unsure_frames(rest), {Part::kParse}, h.skip);
      return f ? normalize_func(f->front()) : trace_function(h, lines);
    }
    case FrameRule::kMightSleep: {
      // The function that may sleep is the finding, even a generic one
      // (lock_sock_nested, console_lock, __alloc_skb), as linux.go reads
      // it: the first frame after "Call Trace:" that no skip word names.
      if (auto f = syz_call_trace_frames(lines, {})) return normalize_func(f->front());
      // A trace with no line to open it (arm kernels before 6.x print none
      // before their frames): the same step over this project's own
      // reading of the frames, which also holds the frames that print the
      // trace (unwind_backtrace). A trace that has its line but is cut
      // short or cut into stays corrupted, as in syzkaller.
      for (std::string_view l : lines)
        if (syz_stack_start(l) || syz_fault_injection(l)) return {};
      for (const Frame& f : frames_in(lines, 1, lines.size()))
        if (!syzkaller_skips(f.func) && !matches(f.func, kReporting)) return f.func;
      return {};
    }
    case FrameRule::kOverflow:
      return syz_overflow_function(lines, h.title);
    case FrameRule::kLeak: {
      // The first caller outside the allocators and the helpers that
      // allocate for their caller, by name or by the file they come from.
      for (const Frame& f : frames_in(lines, 1, lines.size())) {
        if (is_machinery(f) || matches(f.func, kAllocators) || matches(f.func, kAllocWrappers) ||
            matches(f.func, kLeakSkip) || (!f.file.empty() && matches(f.file, kLeakSkipFiles)))
          continue;
        return f.func;
      }
      return {};
    }
  }
  return {};
}

}  // namespace splatscan
