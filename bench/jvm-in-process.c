/*
 * LD_PRELOAD shim for bench/glmark2-thread-cost.sh --jvm-in-reference: starts an idle JVM inside
 * the process it is loaded into (virgl_test_server --no-fork), so the C reference can be measured
 * with a JVM present and nothing else of virgl4j. Off unless VIRGL4J_BENCH_JVM is set; its value,
 * if not empty, is a space-separated list of JVM options.
 */
#include <jni.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTIONS 16

static JavaVM *vm;

__attribute__((constructor)) static void start_jvm(void) {
    const char *spec = getenv("VIRGL4J_BENCH_JVM");
    if (spec == NULL) {
        return;
    }
    JavaVMOption options[MAX_OPTIONS];
    int n = 0;
    char *copy = strdup(spec);
    for (char *t = strtok(copy, " "); t != NULL && n < MAX_OPTIONS; t = strtok(NULL, " ")) {
        options[n++].optionString = t;
    }
    JavaVMInitArgs args = {.version = JNI_VERSION_10, .nOptions = n, .options = options,
                           .ignoreUnrecognized = JNI_FALSE};
    JNIEnv *env;
    int rc = JNI_CreateJavaVM(&vm, (void **) &env, &args);
    fprintf(stderr, "jvm-in-process: JNI_CreateJavaVM returned %d (%d options)\n", rc, n);
}
