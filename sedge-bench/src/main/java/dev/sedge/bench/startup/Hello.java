package dev.sedge.bench.startup;

/** The floor of a JVM start: a fresh JVM that prints hello and exits. */
public final class Hello {

    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
