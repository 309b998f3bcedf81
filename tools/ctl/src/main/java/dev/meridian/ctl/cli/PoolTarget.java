package dev.meridian.ctl.cli;

import picocli.CommandLine.Option;

/** The pool an action is on: {@code --region} and {@code --pool}, both required. */
public final class PoolTarget {

    @Option(names = "--region", required = true, paramLabel = "<region>", description = "The pool's region.")
    String region;

    @Option(names = "--pool", required = true, paramLabel = "<pool>", description = "The pool.")
    String pool;
}
