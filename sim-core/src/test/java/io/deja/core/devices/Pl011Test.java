package io.deja.core.devices;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.deja.core.devices.Pl011.*;
import static org.assertj.core.api.Assertions.assertThat;

class Pl011Test {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Boolean> irqEdges = new ArrayList<>();
    private final Pl011 uart = new Pl011(out, irqEdges::add);

    private long reg(int offset) {
        return uart.read(offset, 4);
    }

    private void set(int offset, long value) {
        uart.write(offset, 4, value);
    }

    @Test
    void resetValuesAreQemus() {
        // Measured on qemu-system-aarch64 7.2 -M virt before any write.
        assertThat(reg(FR)).isEqualTo(0x90);
        assertThat(reg(CR)).isEqualTo(0x300);
        assertThat(reg(IFLS)).isEqualTo(0x12);
        assertThat(reg(LCR_H)).isZero();
        assertThat(reg(IMSC)).isZero();
        assertThat(reg(RIS)).isZero();
        assertThat(reg(MIS)).isZero();
        assertThat(reg(IBRD)).isZero();
        assertThat(reg(FBRD)).isZero();
        assertThat(reg(RSR)).isZero();
        assertThat(reg(ILPR)).isZero();
        assertThat(reg(DMACR)).isZero();
        assertThat(reg(DR)).as("empty FIFO").isZero();
    }

    @Test
    void identificationRegistersNameAnArmPl011() {
        int[] expected = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < 8; i++) assertThat(reg(0xFE0 + 4 * i)).as("ID %d", i).isEqualTo(expected[i]);
    }

    @Test
    void storedRegistersReadBack() {
        set(IBRD, 13);
        set(FBRD, 1);
        set(LCR_H, 0x70);
        set(CR, 0x301);
        set(IFLS, 0x09);
        set(ILPR, 7);
        set(DMACR, 0);
        assertThat(reg(IBRD)).isEqualTo(13);
        assertThat(reg(FBRD)).isEqualTo(1);
        assertThat(reg(LCR_H)).isEqualTo(0x70);
        assertThat(reg(CR)).isEqualTo(0x301);
        assertThat(reg(IFLS)).isEqualTo(0x09);
        assertThat(reg(ILPR)).isEqualTo(7);
        set(FR, 0);
        assertThat(reg(FR)).as("FR is read-only").isEqualTo(0x90);
    }

    @Test
    void transmittedBytesReachTheSinkAtOnceEvenWithTheUartDisabled() {
        // QEMU 7.2 prints with UARTEN clear (reset CR = 0x300); bare-metal guests rely on it.
        set(DR, 'H');
        uart.write(DR, 1, 'i');
        set(DR, 0x100 | '!');
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("Hi!");
        assertThat(reg(FR) & (FR_TXFF | FR_BUSY)).as("never full, never busy").isZero();
        assertThat(reg(FR) & FR_TXFE).isEqualTo(FR_TXFE);
    }

    @Test
    void transmitRaisesTxInRisUntilCleared() {
        set(DR, 'x');
        assertThat(reg(RIS)).isEqualTo(INT_TX);
        assertThat(reg(MIS)).as("masked").isZero();
        assertThat(uart.interruptAsserted()).isFalse();
        set(IMSC, INT_TX);
        assertThat(reg(MIS)).isEqualTo(INT_TX);
        assertThat(uart.interruptAsserted()).isTrue();
        set(ICR, INT_TX);
        assertThat(reg(RIS)).isZero();
        assertThat(uart.interruptAsserted()).isFalse();
        assertThat(irqEdges).containsExactly(true, false);
    }

    @Test
    void receivedBytesFillTheFifoAndRaiseRx() {
        set(LCR_H, LCR_H_FEN);
        set(IMSC, INT_RX | INT_RT);
        uart.receive("ab".getBytes(StandardCharsets.US_ASCII));
        assertThat(reg(FR) & FR_RXFE).isZero();
        assertThat(reg(RIS)).isEqualTo(INT_RX);
        assertThat(uart.interruptAsserted()).isTrue();
        assertThat(reg(DR)).isEqualTo('a');
        assertThat(uart.interruptAsserted()).as("still one byte").isTrue();
        assertThat(reg(DR)).isEqualTo('b');
        assertThat(reg(FR) & FR_RXFE).isEqualTo(FR_RXFE);
        assertThat(reg(RIS)).isZero();
        assertThat(uart.interruptAsserted()).isFalse();
        assertThat(irqEdges).containsExactly(true, false);
    }

    @Test
    void aFullFifoSetsRxffAndTheRestWaitsForTheGuestToRead() {
        set(LCR_H, LCR_H_FEN);
        byte[] input = new byte[20];
        for (int i = 0; i < input.length; i++) input[i] = (byte) ('A' + i);
        uart.receive(input);
        assertThat(reg(FR) & FR_RXFF).isEqualTo(FR_RXFF);
        assertThat(uart.pendingInput()).isEqualTo(4);
        StringBuilder got = new StringBuilder();
        while ((reg(FR) & FR_RXFE) == 0) got.append((char) reg(DR));
        assertThat(got.toString()).isEqualTo("ABCDEFGHIJKLMNOPQRST");
        assertThat(uart.pendingInput()).isZero();
    }

    @Test
    void withTheFifoDisabledTheHoldingRegisterHoldsOneByte() {
        uart.receive("xy".getBytes(StandardCharsets.US_ASCII));
        assertThat(reg(FR) & (FR_RXFF | FR_RXFE)).isEqualTo(FR_RXFF);
        assertThat(uart.pendingInput()).isEqualTo(1);
        assertThat(reg(DR)).isEqualTo('x');
        assertThat(reg(DR)).isEqualTo('y');
        assertThat(reg(FR) & FR_RXFE).isEqualTo(FR_RXFE);
    }

    @Test
    void icrClearsRxUntilTheFifoEmptiesAndRefills() {
        set(IMSC, INT_RX);
        uart.receive(new byte[] {1});
        set(ICR, 0x7FF);
        assertThat(uart.interruptAsserted()).isFalse();
        assertThat(reg(DR)).isEqualTo(1);
        uart.receive(new byte[] {2});
        assertThat(uart.interruptAsserted()).isTrue();
    }

    @Test
    void narrowAndWideAccesses() {
        set(IBRD, 0x1234);
        assertThat(uart.read(IBRD, 1)).isEqualTo(0x34);
        assertThat(uart.read(IBRD, 2)).isEqualTo(0x1234);
        // A 64-bit access is two 32-bit ones: IBRD then FBRD.
        uart.write(IBRD, 8, 0x0000_0005_0000_0007L);
        assertThat(reg(IBRD)).isEqualTo(7);
        assertThat(reg(FBRD)).isEqualTo(5);
        assertThat(uart.read(IBRD, 8)).isEqualTo(0x0000_0005_0000_0007L);
    }

    @Test
    void unassignedOffsetsReadZeroAndIgnoreWrites() {
        set(0x08, 0xFFFF);
        assertThat(reg(0x08)).isZero();
        assertThat(reg(0x800)).isZero();
        assertThat(reg(ICR)).as("ICR is write-only").isZero();
    }
}
