# mmsim_gdb.py - gdb commands for a program using libmmsim_direct: chip addresses are
# PROT_NONE on the host, so gdb's own `x` and `print` cannot read them; these read
# simulated memory through mmsim_direct_peek (the bytes the thread's core would see,
# without changing the machine).
#   (gdb) source PREFIX/share/mmsim/gdb/mmsim_gdb.py
#   (gdb) handle SIGSEGV nostop noprint pass
#   (gdb) mmsim-x p 32          # 32 bytes at chip address p, hex and ASCII
#   (gdb) mmsim-p *frame        # an expression's value, read from simulated memory
import gdb

PEEK_MAX = 4096


def _peek(addr, length):
    if length <= 0 or length > PEEK_MAX:
        raise gdb.GdbError("mmsim: length must be 1..%d, not %d" % (PEEK_MAX, length))
    ptr = gdb.parse_and_eval("(const unsigned char *) mmsim_direct_peek(%du, %du)" % (addr & 0xFFFFFFFF, length))
    if int(ptr) == 0:
        raise gdb.GdbError("mmsim: no machine is attached (mmsim_direct_attach)")
    return bytes(gdb.selected_inferior().read_memory(int(ptr), length))


class MmsimX(gdb.Command):
    """mmsim-x ADDR [LEN]: LEN bytes (16) of simulated memory at chip address ADDR."""

    def __init__(self):
        super().__init__("mmsim-x", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if not argv or len(argv) > 2:
            raise gdb.GdbError("usage: mmsim-x ADDR [LEN]")
        addr = int(gdb.parse_and_eval(argv[0]).cast(gdb.lookup_type("unsigned long")))
        length = int(gdb.parse_and_eval(argv[1])) if len(argv) > 1 else 16
        data = _peek(addr, length)
        for off in range(0, len(data), 16):
            row = data[off:off + 16]
            text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
            gdb.write("0x%08x: %-48s %s\n" % (addr + off, " ".join("%02x" % b for b in row), text))


class MmsimP(gdb.Command):
    """mmsim-p EXPR: the value of EXPR (an lvalue in chip memory), read from simulated memory."""

    def __init__(self):
        super().__init__("mmsim-p", gdb.COMMAND_DATA, gdb.COMPLETE_EXPRESSION)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: mmsim-p EXPR")
        value = gdb.parse_and_eval(arg)
        addr = int(value.address.cast(gdb.lookup_type("unsigned long")))
        vtype = value.type
        data = _peek(addr, vtype.sizeof)
        gdb.write("%s\n" % gdb.Value(data, vtype).format_string())


MmsimX()
MmsimP()
