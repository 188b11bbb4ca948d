package io.deja.core.cpu;

/**
 * A device clocked by virtual time other than the generic timer (the PL031 RTC):
 * attached to the {@link GenericTimer}, whose deadlines and updates the vCPU
 * already drives, so that its events land on an exact cycle and WFI sleeps
 * until them.
 */
public interface TimedDevice {
    /** The cycle at which the device next changes on its own, or Long.MAX_VALUE. */
    long nextDeadline();

    /** Virtual time is now {@code cycles}: raise whatever fell due. */
    void advanceTo(long cycles);
}
