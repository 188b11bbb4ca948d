package io.deja.core.board;

import io.deja.core.vm.ExitKind;

import io.deja.core.vm.VmExit;

/**
 * The end of one {@link Machine#run} call.
 *
 * @param reason       why it stopped: the budget, a cancel, a debug exit (BRK, HLT, SMC) or a final stop
 * @param lastExit     the vCPU exit that ended it (null if the machine was already off)
 * @param pc           the PC it stopped at
 * @param instructions instructions retired during this call
 * @param cycles       virtual time that passed during this call
 */
public record RunResult(ExitKind reason, VmExit lastExit, long pc, long instructions, long cycles) {
    /** Whether the machine can run again. */
    public boolean canContinue() {
        return !reason.isFinal();
    }
}
