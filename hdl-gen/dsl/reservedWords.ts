/**
 * Words no generated identifier may use. Verilog and SystemVerilog keywords
 * would not parse; C++ keywords and common library names collide with the
 * C++ Verilator turns every signal and module into (Verilator stops with
 * SYMRSVDWORD on them). Data only.
 */

/** IEEE 1364-2005 keywords. */
const VERILOG_2005 = `always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos
config deassign default defparam design disable edge else end endcase endconfig endfunction
endgenerate endmodule endprimitive endspecify endtable endtask event for force forever fork
function generate genvar highz0 highz1 if ifnone incdir include initial inout input instance
integer join large liblist library localparam macromodule medium module nand negedge nmos nor
noshowcancelled not notif0 notif1 or output parameter pmos posedge primitive pull0 pull1
pulldown pullup pulsestyle_ondetect pulsestyle_onevent rcmos real realtime reg release repeat
rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled signed small specify specparam strong0
strong1 supply0 supply1 table task time tran tranif0 tranif1 tri tri0 tri1 triand trior trireg
unsigned use uwire vectored wait wand weak0 weak1 while wire wor xnor xor`;

/** IEEE 1800-2017 keywords beyond Verilog-2005. */
const SYSTEMVERILOG = `accept_on alias always_comb always_ff always_latch assert assume before bind bins
binsof bit break byte chandle checker class clocking const constraint context continue cover
covergroup coverpoint cross dist do endchecker endclass endclocking endgroup endinterface
endpackage endprogram endproperty endsequence enum eventually expect export extends extern
final first_match foreach forkjoin global iff ignore_bins illegal_bins implements implies import
inside int interconnect interface intersect join_any join_none let local logic longint matches
modport nettype new nexttime null package packed priority program property protected pure rand
randc randcase randsequence ref reject_on restrict return s_always s_eventually s_nexttime
s_until s_until_with sequence shortint shortreal soft solve static string strong struct super
sync_accept_on sync_reject_on tagged this throughout timeprecision timeunit type typedef union
unique unique0 until until_with untyped var virtual void wait_order weak wildcard with within`;

/** C++ keywords, alternative tokens, and the common library and SystemC names
 *  Verilator also refuses. */
const CPP = `alignas alignof and and_eq asm atomic_cancel atomic_commit atomic_noexcept auto
bitand bitor bool break case catch char char8_t char16_t char32_t class compl concept const
consteval constexpr constinit const_cast continue co_await co_return co_yield decltype default
delete do double dynamic_cast else enum explicit export extern false float for friend goto if
inline int long mutable namespace new noexcept not not_eq nullptr operator or or_eq private
protected public register reinterpret_cast requires return short signed sizeof static
static_assert static_cast struct switch synchronized template this thread_local throw true try
typedef typeid typename union unsigned using virtual void volatile wchar_t while xor xor_eq
NULL abort bit_vector cdecl complex const_iterator const_reference deque far huge interrupt
iterator list map near override pascal queue reference restrict set stack transaction_safe
transaction_safe_dynamic type_info uint8_t uint16_t uint32_t uint64_t int8_t int16_t int32_t
int64_t vector main errno stdin stdout stderr sc_clock sc_in sc_inout sc_out sc_signal sensitive
sensitive_neg sensitive_pos`;

function words(list: string): readonly string[] {
  return list.split(/\s+/).filter((w) => w !== '');
}

const TABLE: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  // Later lists do not overwrite earlier ones: a word that is both a Verilog
  // and a C++ keyword is reported as Verilog, the language the user writes in.
  for (const [list, why] of [
    [VERILOG_2005, 'a Verilog-2005 keyword'],
    [SYSTEMVERILOG, 'a SystemVerilog keyword'],
    [CPP, 'reserved in the C++ Verilator generates'],
  ] as const) {
    for (const w of words(list)) if (!m.has(w)) m.set(w, why);
  }
  return m;
})();

/** Why `name` is reserved, or undefined when it is free. */
export function reservedReason(name: string): string | undefined {
  return TABLE.get(name);
}

/** Every reserved word, sorted (for tests and docs). */
export function reservedWords(): readonly string[] {
  return [...TABLE.keys()].sort();
}
