/**
 * `hotich`: the one command line. Each file in cli/commands/ registers its own sub-commands
 * (`export function register(program)`), so nobody keeps a list of commands by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { reportFatal } from './fatal';

export interface CommandModule {
  register(program: Command): void;
}

export function buildProgram(): Command {
  const program = new Command('hotich')
    .description('hotich-flow: chuyển dữ liệu hộ tịch số hoá vào CSDL hộ tịch điện tử')
    .showHelpAfterError()
    .configureOutput({ outputError: (str, write) => write(str) });
  const dir = path.join(__dirname, 'commands');
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|int\.test|d)\.(ts|js)$/.test(f))
    .sort();
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(path.join(dir, file)) as CommandModule).register(program);
  }
  return program;
}

export function main(argv: string[]): void {
  buildProgram()
    .parseAsync(argv)
    .catch((e: unknown) => reportFatal(e));
}

if (require.main === module) main(process.argv);
