/**
 * Build: turns an app's source into a slug directory with classic buildpacks
 * (`bin/detect`, `bin/compile`, `bin/release`). Owns the built-in buildpacks
 * (`buildpacks/` at the repo root), resolving users' buildpacks (git URL, or
 * a path inside the app or an admin-allowed directory), the clean build
 * environment, running every buildpack program in the build sandbox (the
 * shared `sandbox` mechanism, a loopback-only network whose only way out is
 * the configured mirrors), reading manifests (Procfile, app.json, .cupaas)
 * and materialising sources safely. Knows no records: the deploy pipeline
 * decides what a build means.
 */
export { createBuilder, stopLeftoverBuild, type Builder, type BuilderOptions, type CompileResult, type SelectedBuildpack } from './builder.js';
export { directoryBuildpack, type Buildpack, type BuildpackRun, type CompileDirs } from './buildpack.js';
export { buildEnv, writeEnvDir, STACK } from './env.js';
export { buildSandboxReport } from './isolation/doctor.js';
export { BUILTIN_BUILDPACKS, builtinBuildpack, builtinNamed, type BuiltinBuildpack } from './registry.js';
export { extractSourceArchive, materializeCommit, type CommitInfo, type GitEnv } from './source.js';
export { readManifests, type Manifests } from './manifest/read.js';
export type { HerokuYml } from './manifest/heroku-yml.js';
export { planFromManifests, type ManifestPlan, type FormationDefault } from './manifest/plan.js';
export { parseCompose } from './compose/parse.js';
export { readComposeFile } from './compose/read.js';
export { addonPart, serviceEnv } from './compose/addons.js';
export type { ComposeApp, ComposeProcess, ComposeAddon, ComposeSource, ComposeEnvValue } from './compose/model.js';
