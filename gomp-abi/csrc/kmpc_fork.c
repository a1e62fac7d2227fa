/* LLVM's __kmpc_fork_call and __kmpc_fork_teams are C-variadic (`argc`
 * pointer-sized arguments after the outlined body), and the body
 * ("microtask") takes them as ordinary arguments after the two thread-id
 * pointers: void microtask(kmp_int32 *gtid, kmp_int32 *btid, void *a0, ...).
 * Stable Rust can neither define a C-variadic function nor call a function
 * with a number of arguments known only at run time, so both halves are here:
 *
 * - the two entry points copy their variadic arguments into an array (at
 *   least 4 slots, the unused ones zero) and hand it to Rust;
 * - hsomp_kmpc_invoke(microtask, gtid, btid, argc, argv) calls the body
 *   with argv[0..argc) as its 3rd.. arguments: written in assembly for the
 *   x86-64 System V ABI (integer registers rdi, rsi, rdx, rcx, r8, r9, then
 *   the stack, 16-byte aligned at the call). */
#include <stdarg.h>
#include <stdint.h>

typedef struct ident ident_t;
typedef void (*kmpc_micro)(int32_t *gtid, int32_t *btid, ...);

void hsomp_kmpc_fork(ident_t *loc, int32_t argc, kmpc_micro microtask, void **argv);
void hsomp_kmpc_fork_teams(ident_t *loc, int32_t argc, kmpc_micro microtask, void **argv);

#define COLLECT(argc, last)                                          \
    int32_t n = (argc) < 0 ? 0 : (argc);                             \
    void *argv[n < 4 ? 4 : n];                                       \
    for (int32_t i = n; i < 4; i++)                                  \
        argv[i] = 0;                                                 \
    va_list ap;                                                      \
    va_start(ap, last);                                              \
    for (int32_t i = 0; i < n; i++)                                  \
        argv[i] = va_arg(ap, void *);                                \
    va_end(ap)

void __kmpc_fork_call(ident_t *loc, int32_t argc, kmpc_micro microtask, ...)
{
    COLLECT(argc, microtask);
    hsomp_kmpc_fork(loc, n, microtask, argv);
}

void __kmpc_fork_teams(ident_t *loc, int32_t argc, kmpc_micro microtask, ...)
{
    COLLECT(argc, microtask);
    hsomp_kmpc_fork_teams(loc, n, microtask, argv);
}

#if defined(__x86_64__)
/* void hsomp_kmpc_invoke(kmpc_micro fn, int32_t *gtid, int32_t *btid,
 *                        int32_t argc, void **argv)   (argv has >= 4 slots)
 * in: rdi fn, rsi gtid, rdx btid, ecx argc, r8 argv. */
__asm__(
    "    .text\n"
    "    .globl hsomp_kmpc_invoke\n"
    "    .hidden hsomp_kmpc_invoke\n"
    "    .type hsomp_kmpc_invoke, @function\n"
    "hsomp_kmpc_invoke:\n"
    "    .cfi_startproc\n"
    "    pushq %rbp\n"
    "    .cfi_def_cfa_offset 16\n"
    "    .cfi_offset %rbp, -16\n"
    "    movq %rsp, %rbp\n"
    "    .cfi_def_cfa_register %rbp\n"
    "    movq %rdi, %r10\n"            /* the body */
    "    movq %r8, %r11\n"             /* argv */
    "    movslq %ecx, %rax\n"          /* argc */
    "    movq %rsi, %rdi\n"            /* gtid */
    "    movq %rdx, %rsi\n"            /* btid */
    "    cmpq $4, %rax\n"
    "    jle 2f\n"
    /* argv[4..argc) go on the stack, argv[4] lowest; an odd count gets
       8 bytes of padding first so that rsp is 16-byte aligned at the call. */
    "    testq $1, %rax\n"
    "    jz 1f\n"
    "    subq $8, %rsp\n"
    "1:  pushq -8(%r11,%rax,8)\n"
    "    decq %rax\n"
    "    cmpq $4, %rax\n"
    "    jg 1b\n"
    "2:  movq (%r11), %rdx\n"
    "    movq 8(%r11), %rcx\n"
    "    movq 16(%r11), %r8\n"
    "    movq 24(%r11), %r9\n"
    "    xorl %eax, %eax\n"            /* variadic-call convention: no vector args */
    "    callq *%r10\n"
    "    leave\n"
    "    .cfi_def_cfa %rsp, 8\n"
    "    ret\n"
    "    .cfi_endproc\n"
    "    .size hsomp_kmpc_invoke, .-hsomp_kmpc_invoke\n");
#else
#error "hsomp_kmpc_invoke is written for x86-64 only; add this target's calling convention here"
#endif
