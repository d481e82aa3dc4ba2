package crisscross.app;

import picocli.CommandLine;

/** The code version: the jar's implementation version, or "dev" when run from classes. */
public final class Version implements CommandLine.IVersionProvider {
  public static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"crisscross " + current()};
  }
}
