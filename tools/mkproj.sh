# usage: mkproj <dir> <name> <tags-json> <env>
dir=$1; name=$2; tags=$3; env=${4:-node}
mkdir -p $dir/src
rel=$(realpath --relative-to=$dir .)
cat > $dir/project.json <<J
{
  "name": "$name",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "library",
  "tags": $tags,
  "targets": {
    "test": { "executor": "nx:run-commands", "options": { "command": "vitest run --project $name", "cwd": "{workspaceRoot}" } }
  }
}
J
cat > $dir/tsconfig.json <<J
{
  "extends": "$rel/tsconfig.base.json",
  "include": ["src/**/*.ts", "*.ts", "*.mts"]
}
J
cat > $dir/vitest.config.mts <<J
import { defineProject, mergeConfig } from 'vitest/config';
import { shared } from '$rel/vitest.shared.mts';

export default mergeConfig(
  shared,
  defineProject({ test: { name: '$name', root: import.meta.dirname, environment: '$env', include: ['src/**/*.spec.ts'] } }),
);
J
