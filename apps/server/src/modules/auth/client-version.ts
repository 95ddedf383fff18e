import semver from "semver";
import { AppError } from "../../errors/app-error.js";

/** With MIN_CLIENT_VERSION set, a login must name a version at least that high; one that cannot be read is too old. */
export function assertSupportedClient(minimumVersion: string | undefined, version: string | undefined): void {
  if (!minimumVersion) return;
  const parsed = version ? semver.parse(version) : null;
  if (!parsed || semver.lt(parsed, minimumVersion)) {
    throw new AppError("CLIENT_OUTDATED", `客户端版本过低（最低要求 ${minimumVersion}），请更新后再试`);
  }
}
