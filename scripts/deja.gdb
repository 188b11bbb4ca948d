# gdb commands for Deja's stub (deja run|record|replay ... --gdb PORT).
# Load with:  gdb-multiarch -x scripts/deja.gdb ...   or, in gdb:  source scripts/deja.gdb
#
# gdb caches the registers (and the frames built from them) it has read until
# the target runs. "monitor seek" moves the target in time without running it
# as gdb sees it, so gdb would go on showing the old registers: "seek" seeks
# and drops those caches, and gdb reads the new state.

define seek
  if $argc != 1
    echo usage: seek ICOUNT\n
  else
    monitor seek $arg0
    maintenance flush register-cache
  end
end
document seek
Go to the state just before instruction ICOUNT executes (forward or back, on a
recording or within a live run's history), and make gdb read that state.
Usage: seek ICOUNT
end

define icount
  monitor icount
end
document icount
Instructions retired so far (the next one to run has this number), the PC and virtual time.
end
