// Deterministic, realistic Arabic text for benchmarks that must run anywhere:
// common words with their usual hamza, alef maksura and teh marbuta
// spellings, some tatweel, Latin words, digits and emoji mixed in; optionally
// fully diacritized. Also reads a real corpus when one is given.
#pragma once

#include <cstdint>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace arnorm_bench {

enum class Style { news, diacritized, mixed };

inline std::string generate(std::size_t bytes, Style style, std::uint64_t seed = 1) {
  static const char* const kWords[] = {
      "في",       "من",        "على",       "إلى",     "أن",      "التي",      "الذي",      "عن",      "مع",
      "هذا",      "هذه",       "كان",       "قال",     "بين",     "وزير",      "الرئيس",    "المملكة", "العربية",
      "السعودية", "الاستثمار", "الإستثمار", "الشؤون",  "الشئون",  "الاقتصادي", "الاقتصادى", "مدينة",   "الحكومة",
      "اجتماع",   "أعلى",      "اعلى",      "مسؤول",   "رئيس",    "الدولة",    "جديدة",     "العام",   "الأمير",
      "المشروع",  "التعاون",   "الصين",     "شانغهاي", "بكين",    "أستانا",    "منظمة",     "القمة",   "الدول",
      "فى",       "إطار",      "مجلس",      "الوطني",  "التنمية", "خلال",      "عبر",       "لدى",     "حتى",
      "بعد",      "قبل",       "أمس",       "اليوم",   "مليون",   "الـ21",     "الأسبوع",   "عملية",   "المسؤولين",
      "الجامعة",  "الطلاب",    "هيئة",      "الصحة",   "مستشفى",  "الرياض"};
  static const char* const kLatin[] = {"SCO", "Reuters", "COVID-19", "2024", "http://example.com", "OPEC", "AI"};
  static const char* const kMarks[] = {"\xD9\x8E", "\xD9\x8F", "\xD9\x90", "\xD9\x92", "\xD9\x91\xD9\x8E", "\xD9\x8B"};
  static const char* const kDigits[] = {"١٢", "٢٠٢٤", "٣٥٠", "۱۴", "15", "٪"};
  std::mt19937_64 rng(seed);
  std::string out;
  out.reserve(bytes + 64);
  std::size_t words = 0;
  while (out.size() < bytes) {
    std::uint32_t r = rng() % 100;
    std::string w;
    if (style == Style::mixed && r < 15)
      w = kLatin[rng() % 7];
    else if (style == Style::mixed && r < 20)
      w = "\xF0\x9F\x98\x80";  // emoji
    else if (r < 24)
      w = kDigits[rng() % 6];
    else
      w = kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
    if (style == Style::diacritized) {
      std::string marked;
      for (std::size_t i = 0; i < w.size();) {
        std::size_t len = (static_cast<unsigned char>(w[i]) < 0x80) ? 1 : 2;
        marked.append(w, i, len);
        if (len == 2) marked += kMarks[rng() % 6];
        i += len;
      }
      w = marked;
    } else if (rng() % 40 == 0 && w.size() > 4) {
      w.insert(4, "\xD9\x80\xD9\x80");  // tatweel
    }
    out += w;
    ++words;
    out += (words % 14 == 0) ? (rng() % 3 == 0 ? "\n" : "، ") : " ";
  }
  // Cut back to a character boundary.
  out.resize(bytes);
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Repeats text until it holds at least `bytes` bytes (whole lines only).
inline std::string grow(const std::string& text, std::size_t bytes) {
  std::string out;
  if (text.empty()) return out;
  while (out.size() < bytes) out += text;
  return out;
}

// Short lines of the text (titles, tweets): cut at the first space 60 bytes
// on, at most 100,000 of them.
inline std::vector<std::string_view> short_lines(const std::string& text) {
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text.size() && lines.size() < 100000;) {
    std::size_t end = text.find(' ', pos + 60);
    if (end == std::string::npos) break;
    lines.emplace_back(text.data() + pos, end - pos);
    pos = end + 1;
  }
  return lines;
}

}  // namespace arnorm_bench
