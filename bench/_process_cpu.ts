/**
 * CPU time of local processes from `/proc` (Linux): what a bench charges to the app and to the database for
 * the same run. The kernel counts in clock ticks; `CLK_TCK` is 100 on every Linux this runs on.
 */
const TICKS_A_SECOND = 100;

/** One `/proc/<pid>/stat` line's fields after the command name (which may hold spaces and parentheses). */
function statFields(line: string): string[] {
  return line.slice(line.lastIndexOf(")") + 2).split(" ");
}

/** User plus system CPU seconds of a `/proc/<pid>/stat` line. */
export function cpuSecondsOfStat(line: string): number {
  const fields = statFields(line);
  // fields[0] is the state (field 3 of stat(5)); utime and stime are fields 14 and 15
  return (Number(fields[11]) + Number(fields[12])) / TICKS_A_SECOND;
}

/** The process group of a `/proc/<pid>/stat` line (field 5 of stat(5)). */
function processGroupOfStat(line: string): number {
  return Number(statFields(line)[2]);
}

function processStats(): { name: string; line: string }[] {
  const stats = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const line = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const name = line.slice(line.indexOf("(") + 1, line.lastIndexOf(")"));
      stats.push({ name, line });
    } catch {
      // gone between the listing and the read
    }
  }
  return stats;
}

/**
 * CPU seconds so far of every process in the group `group` (a bench's app: `setsid` made its group) and of
 * every process named `postgres` on this machine (none when the database is elsewhere: `databaseSeen`
 * false). A process that ended between two readings takes its seconds with it: compare readings of
 * long-lived processes only.
 */
export function cpuSecondsNow(group: number): { app: number; database: number; databaseSeen: boolean } {
  let app = 0, database = 0, databaseSeen = false;
  for (const { name, line } of processStats()) {
    if (processGroupOfStat(line) === group) app += cpuSecondsOfStat(line);
    else if (name === "postgres") {
      database += cpuSecondsOfStat(line);
      databaseSeen = true;
    }
  }
  return { app, database, databaseSeen };
}
