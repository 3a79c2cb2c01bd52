// The C++ twin of src/ref/convInt.ts pointwiseAccumulate's int32 path: the
// same register-blocked loop (2 pixels x 4 output channels, int32 sums), plus
// the naive triple loop for reference. Reads the same seeded operands from a
// binary file, so both sides compute the same outputs (checksums compared).
export const POINTWISE_CPP = String.raw`#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

static void blocked(const int32_t* x, int pixels, int inC, const int32_t* w, int outC, double* acc) {
  const int o4 = outC - outC % 4;
  int p = 0;
  for (; p + 1 < pixels; p += 2) {
    const int32_t* xa = x + static_cast<size_t>(p) * inC;
    const int32_t* xb = xa + inC;
    double* oa = acc + static_cast<size_t>(p) * outC;
    double* ob = oa + outC;
    int o = 0;
    for (; o < o4; o += 4) {
      const int32_t* w0 = w + static_cast<size_t>(o) * inC;
      const int32_t* w1 = w0 + inC;
      const int32_t* w2 = w1 + inC;
      const int32_t* w3 = w2 + inC;
      int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (int i = 0; i < inC; i++) {
        const int32_t u = xa[i], v = xb[i];
        a0 += w0[i] * u; a1 += w1[i] * u; a2 += w2[i] * u; a3 += w3[i] * u;
        b0 += w0[i] * v; b1 += w1[i] * v; b2 += w2[i] * v; b3 += w3[i] * v;
      }
      oa[o] = a0; oa[o + 1] = a1; oa[o + 2] = a2; oa[o + 3] = a3;
      ob[o] = b0; ob[o + 1] = b1; ob[o + 2] = b2; ob[o + 3] = b3;
    }
    for (; o < outC; o++) {
      const int32_t* wp = w + static_cast<size_t>(o) * inC;
      int32_t a = 0, b = 0;
      for (int i = 0; i < inC; i++) { a += wp[i] * xa[i]; b += wp[i] * xb[i]; }
      oa[o] = a; ob[o] = b;
    }
  }
  for (; p < pixels; p++)
    for (int o = 0; o < outC; o++) {
      int32_t s = 0;
      for (int i = 0; i < inC; i++) s += w[static_cast<size_t>(o) * inC + i] * x[static_cast<size_t>(p) * inC + i];
      acc[static_cast<size_t>(p) * outC + o] = s;
    }
}

static void naive(const int32_t* x, int pixels, int inC, const int32_t* w, int outC, double* acc) {
  for (int p = 0; p < pixels; p++)
    for (int o = 0; o < outC; o++) {
      int32_t s = 0;
      for (int i = 0; i < inC; i++) s += w[static_cast<size_t>(o) * inC + i] * x[static_cast<size_t>(p) * inC + i];
      acc[static_cast<size_t>(p) * outC + o] = s;
    }
}

template <typename F> static double best(F f, int repeats) {
  double b = 1e30;
  for (int r = 0; r < repeats; r++) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (dt < b) b = dt;
  }
  return b;
}

int main(int argc, char** argv) {
  if (argc != 3) { std::fprintf(stderr, "usage: pointwise <operands.bin> <repeats>\n"); return 2; }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) { std::perror(argv[1]); return 2; }
  int32_t dims[3];
  if (std::fread(dims, sizeof(int32_t), 3, f) != 3) return 2;
  const int pixels = dims[0], inC = dims[1], outC = dims[2];
  std::vector<int32_t> x(static_cast<size_t>(pixels) * inC), w(static_cast<size_t>(outC) * inC);
  if (std::fread(x.data(), sizeof(int32_t), x.size(), f) != x.size()) return 2;
  if (std::fread(w.data(), sizeof(int32_t), w.size(), f) != w.size()) return 2;
  std::fclose(f);
  std::vector<double> acc(static_cast<size_t>(pixels) * outC), acc2(acc.size());
  const int repeats = std::atoi(argv[2]);
  double tb = best([&] { blocked(x.data(), pixels, inC, w.data(), outC, acc.data()); }, repeats);
  double tn = best([&] { naive(x.data(), pixels, inC, w.data(), outC, acc2.data()); }, repeats);
  double checksum = 0, checksum2 = 0;
  for (size_t i = 0; i < acc.size(); i++) {
    checksum += acc[i] * static_cast<double>((i % 7) + 1);
    checksum2 += acc2[i] * static_cast<double>((i % 7) + 1);
  }
  std::printf("%.9f %.9f %.17g %.17g\n", tb, tn, checksum, checksum2);
  return 0;
}
`;
