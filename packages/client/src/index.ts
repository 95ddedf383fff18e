/**
 * `@ocean1/client`: the typed client the frontend imports in place of its hand-written `api.ts`.
 * Until its functions land, it offers the contract's types under the names the frontend uses.
 */
export type {
  ApiResponse,
  BananaCreateRequest,
  CatChatResponse,
  ChatMessage,
  GenerationResult,
  HeartbeatResponse,
  HistoryRecord,
  GetHistoryResponse as HistoryResponse,
  JimengImageCreateRequest,
  JimengVideoCreateRequest,
  LoginResponse,
  RedeemCardResponse,
  SoraCreateRequest,
  UserData,
} from "@ocean1/contract";
