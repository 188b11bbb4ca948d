package io.deja.core.jit;

import io.deja.core.cpu.Cpu;
import io.deja.core.decode.A64Decoder;
import io.deja.core.decode.A64Patterns;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;

import static java.lang.classfile.ClassFile.ACC_FINAL;
import static java.lang.classfile.ClassFile.ACC_PUBLIC;

/**
 * Translates a straight run of decoded instructions into a hidden class whose
 * run(Cpu) calls the same static semantic methods the interpreter dispatches
 * to, with the instruction's fields (or, for handlers of the whole word, the
 * word) as constants. HotSpot then inlines the methods and folds what depends
 * on them, which removes the dispatch switch and the decoding work from the
 * hot path.
 *
 * For each instruction the generated code is:
 * <pre>
 *   c.cycles++;
 *   Handler.method(c, field1, field2, ...);   // or (c, insn)
 *   if (c.cycles >= c.horizon) return;   // not after the last one
 * </pre>
 * A block ends after an instruction whose row in a64.decode is tagged @branch
 * or @endblock (branches, exception-generating and system instructions: they
 * change the PC or the machine's configuration), before an unallocated
 * word, at the end of the 4 KiB page, or after {@link #MAX_INSTRUCTIONS}.
 * Exceptions, exits and writes to decoded code all pull the horizon down to
 * the current cycle, so the block stops right after the instruction that
 * caused them, exactly as the interpreter would.
 *
 * The run loop enters a block only when all its instructions fit before the
 * horizon (see {@link Block#length}), so a check returns only after an
 * instruction pulled the horizon in. HotSpot compiles a return it never saw
 * taken as a trap that throws the compiled block away: when virtual time alone
 * ran into the horizon inside blocks, most of the Linux boot's blocks were
 * compiled twice.
 */
public final class BlockTranslator {
    private BlockTranslator() {}

    public static final int MAX_INSTRUCTIONS = 32;

    private static final ClassDesc CD_BLOCK = ClassDesc.of(Block.class.getName());
    private static final ClassDesc CD_GUEST_BLOCK = ClassDesc.of(BlockTranslator.class.getPackageName() + ".GuestBlock");
    private static final ClassDesc CD_CPU = ClassDesc.of(Cpu.class.getName());
    private static final MethodTypeDesc MTD_HANDLER = MethodTypeDesc.of(ConstantDescs.CD_void, CD_CPU, ConstantDescs.CD_int);
    private static final MethodTypeDesc MTD_RUN = MethodTypeDesc.of(ConstantDescs.CD_void, CD_CPU);
    private static final MethodTypeDesc MTD_BLOCK_INIT = MethodTypeDesc.of(ConstantDescs.CD_void, ConstantDescs.CD_int);
    private static final ClassDesc CD_TRACE = ClassDesc.of("io.deja.core.trace.InstructionTrace");
    private static final MethodTypeDesc MTD_AFTER = MethodTypeDesc.of(ConstantDescs.CD_void, CD_CPU);

    /** What a block reports per instruction: nothing, the instruction, or the instruction and its register changes. */
    public static final int TRACE_NONE = 0, TRACE_INSNS = 1, TRACE_FULL = 2;
    private static final String ISA_PACKAGE = "io.deja.core.isa.";
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    /**
     * Blocks are Java 5 class files, without stack maps: the JVM verifies them by type
     * inference. Generating the stack maps was most of a translation's work, and the
     * class-file library's stack map generator is hot enough (some 800 blocks a Linux boot)
     * for HotSpot's C2 to compile it, on the core beside the guest's.
     */
    private static final int CLASS_VERSION = ClassFile.JAVA_5_VERSION;
    private static final ClassFile CLASS_FILE = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);

    /** Whether an opcode ends a block (it is included as the block's last instruction). */
    public static boolean endsBlock(int op) {
        return A64Decoder.endsBlock(op);
    }

    /**
     * How many instructions a block starting at word index {@code first} of a
     * page's {@code words} would hold (0 if the first word is unallocated).
     */
    public static int length(int[] words, int first) {
        int n = 0;
        for (int i = first; i < words.length && n < MAX_INSTRUCTIONS; i++) {
            int op = A64Decoder.decode(words[i]);
            if (op == A64Patterns.UNALLOCATED) break;
            n++;
            if (endsBlock(op)) break;
        }
        return n;
    }

    /**
     * Builds the block for the given instruction words (already checked by
     * {@link #length}); traceMode adds InstructionTrace calls around each one.
     */
    public static Block translate(int[] words, int first, int count, int traceMode) {
        byte[] bytes = CLASS_FILE.build(CD_GUEST_BLOCK, cb -> {
            cb.withVersion(CLASS_VERSION, 0);
            cb.withFlags(ACC_PUBLIC | ACC_FINAL);
            cb.withSuperclass(CD_BLOCK);
            cb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ACC_PUBLIC, code -> code
                    .aload(0).loadConstant(count).invokespecial(CD_BLOCK, ConstantDescs.INIT_NAME, MTD_BLOCK_INIT).return_());
            cb.withMethodBody("run", MTD_RUN, ACC_PUBLIC | ACC_FINAL, code -> {
                for (int i = 0; i < count; i++) {
                    int insn = words[first + i];
                    int op = A64Decoder.decode(insn);
                    if (traceMode != TRACE_NONE) code.aload(1).loadConstant(insn).invokestatic(CD_TRACE, "before", MTD_HANDLER);
                    countCycle(code);
                    callHandler(code, op, insn);
                    if (traceMode == TRACE_FULL) code.aload(1).invokestatic(CD_TRACE, "after", MTD_AFTER);
                    if (i + 1 < count) returnIfHorizonReached(code);
                }
                code.return_();
            });
        });
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
            return (Block) hidden.findConstructor(hidden.lookupClass(), java.lang.invoke.MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("could not define a translated block", e);
        }
    }

    /**
     * Each opcode's handler class and method type, built on first use: parsing
     * and validating the descriptors again for every call site made a large
     * share of the cost of a translation.
     */
    private static final ClassDesc[] HANDLER_OWNER = new ClassDesc[A64Decoder.count()];
    private static final MethodTypeDesc[] HANDLER_TYPE = new MethodTypeDesc[A64Decoder.count()];

    /** Handler.method(c, args...) with each of the row's fields of insn as a constant. */
    private static void callHandler(CodeBuilder code, int op, int insn) {
        int args = A64Decoder.argumentCount(op);
        ClassDesc owner = HANDLER_OWNER[op];
        MethodTypeDesc type = HANDLER_TYPE[op];
        if (owner == null) {
            ClassDesc[] params = new ClassDesc[1 + args];
            params[0] = CD_CPU;
            java.util.Arrays.fill(params, 1, params.length, ConstantDescs.CD_int);
            HANDLER_TYPE[op] = type = MethodTypeDesc.of(ConstantDescs.CD_void, params);
            HANDLER_OWNER[op] = owner = ClassDesc.of(ISA_PACKAGE + A64Decoder.handlerClass(op));
        }
        code.aload(1);
        for (int i = 0; i < args; i++) code.loadConstant(A64Decoder.argument(op, i, insn));
        code.invokestatic(owner, A64Decoder.handlerMethod(op), type);
    }

    private static void countCycle(CodeBuilder code) {
        code.aload(1).dup().getfield(CD_CPU, "cycles", ConstantDescs.CD_long).lconst_1().ladd()
                .putfield(CD_CPU, "cycles", ConstantDescs.CD_long);
    }

    private static void returnIfHorizonReached(CodeBuilder code) {
        Label next = code.newLabel();
        code.aload(1).getfield(CD_CPU, "cycles", ConstantDescs.CD_long)
                .aload(1).getfield(CD_CPU, "horizon", ConstantDescs.CD_long)
                .lcmp().iflt(next).return_().labelBinding(next);
    }
}
