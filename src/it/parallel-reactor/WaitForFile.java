import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits until a file exists, at most the given seconds: how one module of the parallel build
 * waits until the other has got as far as writing it (its target/cleanroom/cleanroom.properties,
 * written when its services are up). setup.groovy deletes those files before the build.
 *
 * <p>Usage: java WaitForFile.java FILE SECONDS
 */
public class WaitForFile {

    public static void main(String[] args) throws InterruptedException {
        Path file = Path.of(args[0]).normalize();
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                System.err.println("WaitForFile: " + file + " did not appear within " + args[1] + " s; the other "
                        + "module never got that far (is the build parallel, -T 2?)");
                System.exit(1);
            }
            Thread.sleep(100);
        }
        System.out.println("WaitForFile: " + file + " exists");
    }
}
