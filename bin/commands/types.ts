import type { Command } from 'commander';

/** A command module adds itself to the program; its action reports its exit code via setExit. */
export type RegisterCommand = (program: Command, setExit: (code: number) => void) => void;
