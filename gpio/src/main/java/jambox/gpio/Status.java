package jambox.gpio;

/** What the status LED says. CLIPPING is transient: the appliance sets it, then goes back to IN_ROOM or ALONE. */
public enum Status { STARTING, ALONE, IN_ROOM, CLIPPING, ERROR }
