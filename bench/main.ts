/**
 * `deno task bench <name> [args...]` runs `bench/<name>.ts`, whose exported `run(args)` prints
 * its figures and ends with one summary line. Without a name it lists the benches: some of them
 * run for ten minutes or generate millions of rows, so none starts by surprise.
 */
const name = Deno.args[0];
const available = [...Deno.readDirSync(new URL(".", import.meta.url))]
  .map((entry) => entry.name)
  .filter((file) =>
    file.endsWith(".ts") && !file.startsWith("_") && file !== "main.ts" && !file.endsWith("_test.ts")
  )
  .map((file) => file.slice(0, -3))
  .sort();

if (!name) {
  console.log(`Usage: deno task bench <name> [args...]\nBenches: ${available.join(", ")}`);
  Deno.exit(0);
}
if (!available.includes(name)) {
  console.error(`Unknown bench "${name}": choose one of ${available.join(", ")}`);
  Deno.exit(2);
}

const module = await import(`./${name}.ts`) as { run(args: string[]): Promise<void> };
console.log(`# bench ${name}`);
await module.run(Deno.args.slice(1));
