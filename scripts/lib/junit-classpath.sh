# Sourced by the Maven-free scripts (dev-test.sh, difftest.sh): sets $cp to
# the JUnit console launcher and AssertJ jars, fetching them from Maven
# Central into the local repository first if this machine lacks them.
m2=${M2_REPO:-$HOME/.m2/repository}
junit_console=org.junit.platform:junit-platform-console-standalone:1.14.4
assertj=org.assertj:assertj-core:3.27.7
cp="$m2/org/junit/platform/junit-platform-console-standalone/1.14.4/junit-platform-console-standalone-1.14.4.jar:$m2/org/assertj/assertj-core/3.27.7/assertj-core-3.27.7.jar"
for artifact in $junit_console $assertj; do
  IFS=: read -r group id version <<<"$artifact"
  jar="$m2/${group//.//}/$id/$version/$id-$version.jar"
  if [ ! -f "$jar" ]; then
    echo "fetching $artifact from Maven Central" >&2
    mvn -B -q dependency:get -Dartifact="$artifact" -Dtransitive=false -Dmaven.repo.local="$m2" >&2
  fi
done
