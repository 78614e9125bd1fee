// Checks what the consumer printed (see Main.java): the cleared colour read back from
// virglrenderer (R,G,B,A = ff,33,99,ff), and that the JNI library came transitively from the
// presets' classifier jar installed for this build, not from anywhere else.
def lines = new File(basedir, 'build.log').readLines().findAll { it.startsWith('virgl4j consumer:') }
def pixel = lines.find { it.contains('pixel(') }
def jni = lines.find { it.contains('jni=') }
assert pixel != null : 'the consumer printed no pixel; see build.log'
assert pixel.contains('backend=llvmpipe') : pixel
assert pixel.endsWith('pixel(32,32)=ff3399ff') : "wrong pixel: ${pixel}"
assert jni != null && jni.contains('/it-repo/io/github/virgl4j/virgl4j-presets/') &&
        jni.contains('-linux-x86_64.jar!') : "JNI library not from the classifier jar in it-repo: ${jni}"
println "consumer OK: ${pixel}"
return true
