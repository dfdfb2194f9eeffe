/**
 * `deno task bench <name> [args...]` runs `bench/<name>.ts`, whose exported `run(args)` prints
 * its figures and ends with one summary line. Without a name, every bench runs in turn.
 */
const name = Deno.args[0];
const available = [...Deno.readDirSync(new URL(".", import.meta.url))]
  .map((entry) => entry.name)
  .filter((file) =>
    file.endsWith(".ts") && !file.startsWith("_") && file !== "main.ts" && !file.endsWith("_test.ts")
  )
  .map((file) => file.slice(0, -3))
  .sort();

if (name && !available.includes(name)) {
  console.error(`Unknown bench "${name}": choose one of ${available.join(", ")}`);
  Deno.exit(2);
}

for (const bench of name ? [name] : available) {
  const module = await import(`./${bench}.ts`) as { run(args: string[]): Promise<void> };
  console.log(`# bench ${bench}`);
  await module.run(name ? Deno.args.slice(1) : []);
}
