// Generates the reference tables in this folder from the C/C++ code Zeek itself relies on:
//   rapidjson-double.tsv  bits<TAB>RapidJSON Writer::Double output (Zeek's JSON numbers)
//   fixed6.tsv            bits<TAB>printf("%.6f") (exact value rounded half-even, as std::to_chars)
//   iso8601.tsv           bits<TAB>Zeek's JSON TS_ISO8601 text (gmtime_r + modf + "%06.0f")
// Build against RapidJSON headers whose DigitGen() uses 64-bit powers of ten up to 10^19 and
// "index < 20" in its final GrisuRound call, as in RapidJSON's current sources that Zeek
// bundles (the 1.1.0 release skips that rounding step past 9 fractional digits and differs):
//   g++ -O2 -I<rapidjson include dir> -o gen gen-reference.cpp && ./gen
#include <rapidjson/writer.h>
#include <rapidjson/stringbuffer.h>
#include <cstdio>
#include <cstring>
#include <cstdint>
#include <cmath>
#include <ctime>
#include <random>
static void emit(double d, FILE* f, FILE* g, FILE* h) {
  if (std::isnan(d) || std::isinf(d)) return;
  uint64_t u; memcpy(&u,&d,8);
  rapidjson::StringBuffer sb; rapidjson::Writer<rapidjson::StringBuffer> w(sb); w.Double(d);
  fprintf(f, "%016llx\t%s\n", (unsigned long long)u, sb.GetString());
  if (std::fabs(d) < 1e15) fprintf(g, "%016llx\t%.6f\n", (unsigned long long)u, d);
  if (d > -1e10 && d < 1e11) {
    char buffer[40], buffer2[48]; time_t the_time = time_t(floor(d)); struct tm t;
    gmtime_r(&the_time,&t); strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &t);
    double integ; double frac = modf(d, &integ); if (frac < 0) frac += 1;
    snprintf(buffer2, sizeof(buffer2), "%s.%06.0fZ", buffer, fabs(frac) * 1000000);
    fprintf(h, "%016llx\t%s\n", (unsigned long long)u, buffer2);
  }
}
int main() {
  FILE* f = fopen("grisu.tsv","w"); FILE* g = fopen("fixed6.tsv","w"); FILE* h = fopen("iso.tsv","w");
  std::mt19937_64 rng(42);
  double specials[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e-7, 1.5e-7, 1e-6, 1.234e-6, 9.999e-7, 1e20, 1e21, 1.5e21, 123456789012345678901.0,
     1e22, 1e100, 1e-100, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 4.9406564584124654e-324, 0.3, 2.0/3, 100.0, 1e15, 1e16, 1e17,
     1704067200.061052, 1704067231.6079881, 0.050691843032836914, 0.5351638793945313, 0.0390625, 0.0000005, 0.0000015, 0.9999995, 1.9999995, 999999.9999995,
     1704067199.9999996, -0.5, -1.25e-8, 3.0e-5, 123.456, 9007199254740993.0, 9007199254740992.0, 4503599627370496.5, 0.000001, 0.0000001};
  for (double d : specials) emit(d, f, g, h);
  for (int i = 0; i < 400; i++) { uint64_t u = rng(); double d; memcpy(&d,&u,8); emit(d, f, g, h); }
  std::uniform_real_distribution<double> ts(1.6e9, 1.8e9), dur(0, 100), small(0, 0.001);
  for (int i = 0; i < 500; i++) emit(ts(rng), f, g, h);
  for (int i = 0; i < 500; i++) emit(dur(rng), f, g, h);
  for (int i = 0; i < 300; i++) emit(small(rng), f, g, h);
  for (int i = 0; i < 300; i++) { double base = std::floor(ts(rng)); emit(base + (rng()%1000000)/1e6, f, g, h); }
  for (int i = 0; i < 200; i++) { int e = (int)(rng()%60) - 30; double m = (double)(rng()%100000) ; emit(m*std::pow(10.0,e), f, g, h); }
  for (int i = 0; i < 200; i++) { double m = (double)(rng()%1000000) / 8.0; emit(m, f, g, h); emit(m/1e6, f,g,h);}
  fclose(f); fclose(g); fclose(h);
}
