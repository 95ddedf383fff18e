import { jimengUploadLimits } from "@ocean1/contract";
import busboy from "busboy";
import type { Request } from "express";
import { AppError } from "../../errors/app-error.js";
import type { UploadedImage } from "../../providers/provider.js";

export interface MultipartForm {
  /** Every field arrives as a string. */
  fields: Record<string, string>;
  /** The file of field `image`, when one was sent. */
  image?: { bytes: Buffer };
}

const tooLarge = () =>
  new AppError("PAYLOAD_TOO_LARGE", `图片不能超过 ${jimengUploadLimits.maxBytes / 1024 / 1024} MB，本次未扣除积分`, "image");
const invalid = (message: string) => new AppError("UPLOAD_INVALID", message, "image");

/** Reads a multipart form with limits: one file (field `image`, ≤ 10 MB), 50 fields of ≤ 64 KB. */
export function readMultipart(req: Request): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: jimengUploadLimits.maxBytes, files: 1, fields: 50, fieldSize: 64 * 1024, parts: 51 },
      });
    } catch {
      reject(invalid("上传格式错误（multipart/form-data 缺少 boundary）"));
      return;
    }
    const fields: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let failure: AppError | undefined;
    let sawImage = false;
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) failure ??= new AppError("VALIDATION", `字段 ${name} 过长`, name);
      else fields[name] = value;
    });
    parser.on("file", (name, stream) => {
      if (name !== "image") {
        failure ??= invalid(`只接受字段 image 中的一张图片，收到了字段 ${name}`);
        stream.resume();
        return;
      }
      sawImage = true;
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("limit", () => (failure ??= tooLarge()));
    });
    parser.on("filesLimit", () => (failure ??= invalid("只能上传一张图片")));
    parser.on("fieldsLimit", () => (failure ??= new AppError("VALIDATION", "字段过多")));
    parser.on("error", () => reject(invalid("上传内容不完整或格式错误")));
    parser.on("close", () => {
      if (failure) reject(failure);
      else resolve({ fields, ...(sawImage ? { image: { bytes: Buffer.concat(chunks) } } : {}) });
    });
    req.pipe(parser);
  });
}

/** The image type by its first bytes, never by its name or declared type. */
export function detectImageType(bytes: Buffer): UploadedImage["contentType"] | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 12 && bytes.toString("ascii", 0, 4) === "RIFF" && bytes.toString("ascii", 8, 12) === "WEBP") return "image/webp";
  return undefined;
}

export function checkedImage(image: { bytes: Buffer }): UploadedImage {
  if (image.bytes.length === 0) throw invalid("上传的图片是空文件，本次未扣除积分");
  const contentType = detectImageType(image.bytes);
  if (!contentType) throw invalid("上传的文件不是 PNG、JPEG 或 WebP 图片，本次未扣除积分");
  return { bytes: image.bytes, contentType };
}
