package io.deja.replayer;

import io.deja.core.board.StateHashes;
import io.deja.recorder.RecordingHeader;

/**
 * The outcome of a replay.
 *
 * @param header       the recording's header
 * @param bitExact     every compared event and checkpoint matched (for a truncated recording: its whole prefix)
 * @param truncated    the recording has no END event (it was cut short); it ends at endIcount
 * @param events       events compared and found equal
 * @param instructions instructions the replay executed
 * @param endIcount    where the recording ends (its END, or its last event if cut short)
 * @param finalHash    state hashes of the machine when the replay stopped
 * @param divergence   the first difference (null if bitExact)
 * @param report       the divergence report, ready to print (null if bitExact)
 * @param retraced     events written to the re-traced recording (-1: no re-trace asked)
 * @param cutShort     for a truncated recording, why and where it ends (empty otherwise)
 */
public record ReplayResult(RecordingHeader header, boolean bitExact, boolean truncated, long events, long instructions,
                           long endIcount, StateHashes finalHash, Divergence divergence, String report, long retraced,
                           String cutShort) {
}
