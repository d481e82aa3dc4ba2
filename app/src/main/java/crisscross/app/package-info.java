/** The crisscross command line. */
package crisscross.app;
