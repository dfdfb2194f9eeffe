/**
 * A browser's User-Agent header said the way staff would: "Chrome 131 on Windows", "Safari 18 on iOS 18",
 * "curl 8 (a program, not a browser)". Only the major version, and only the common browsers and systems:
 * the raw string stays beside it for the rest. Pure; no lookup tables from outside.
 */

// Order matters: Edge, Opera and Samsung Internet also say "Chrome/", and Chrome says "Safari/"
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/\bSamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/\b(?:OPR|OPiOS)\/(\d+)/, "Opera"],
  [/\bFxiOS\/(\d+)/, "Firefox"],
  [/\bFirefox\/(\d+)/, "Firefox"],
  [/\bCriOS\/(\d+)/, "Chrome"],
  [/\bChrome\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)(?:[.\d]*)? (?:Mobile\/\S+ )?Safari\//, "Safari"],
];

const ROBOT =
  /(Googlebot|bingbot|DuckDuckBot|YandexBot|Baiduspider|AhrefsBot|SemrushBot|facebookexternalhit|[A-Za-z]*[Bb]ot\b|[Cc]rawler|[Ss]pider)/;
const PROGRAMS =
  /^(curl|Wget|python-requests|PostmanRuntime|okhttp|Go-http-client|axios|node-fetch|insomnia)\/(\d+)/i;

function operatingSystem(ua: string): string | null {
  const ios = ua.match(/\b(iPhone|iPad|iPod)\b.*? OS (\d+)_/);
  if (ios) return `${ios[1] === "iPad" ? "iPadOS" : "iOS"} ${ios[2]}`;
  const android = ua.match(/\bAndroid (\d+)/);
  if (android) return `Android ${android[1]}`;
  if (/\bWindows Phone\b/.test(ua)) return "Windows Phone";
  if (/\bWindows\b/.test(ua)) return "Windows";
  if (/\bCrOS\b/.test(ua)) return "ChromeOS";
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return "macOS";
  if (/\bLinux\b/.test(ua)) return "Linux";
  return null;
}

/**
 * A short summary of a User-Agent header, or null when it names nothing this knows.
 * @example summarizeUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
 * // "Chrome 131 on Windows"
 */
export function summarizeUserAgent(userAgent: string): string | null {
  const ua = userAgent.trim();
  const program = ua.match(PROGRAMS);
  if (program) return `${program[1]} ${program[2]} (a program, not a browser)`;
  const robot = ua.match(ROBOT);
  if (robot) return `${robot[1]} (a robot, not a person)`;
  const os = operatingSystem(ua);
  for (const [pattern, name] of BROWSERS) {
    const found = ua.match(pattern);
    if (found) return os ? `${name} ${found[1]} on ${os}` : `${name} ${found[1]}`;
  }
  return os ? `A browser on ${os}` : null;
}
