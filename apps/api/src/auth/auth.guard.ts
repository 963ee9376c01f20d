import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, TokenEntry, TokenVerifier, roleRank } from './tokens';

export const ROLE_KEY = 'quanze:role';
export const PUBLIC_KEY = 'quanze:public';
/** The least role a route needs (default: reader for GET, editor otherwise). */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: TokenEntry;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
    if (!m) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '缺少访问令牌：请在 Authorization 头中提供 Bearer 令牌' });
    const principal = this.tokens.verify(m[1]);
    if (!principal) throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '访问令牌无效' });
    req.principal = principal;
    const needed = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? (req.method === 'GET' || req.method === 'HEAD' ? 'reader' : 'editor');
    if (roleRank(principal.role) < roleRank(needed)) {
      throw new ForbiddenException({ code: 'FORBIDDEN', message: `此操作需要 ${needed} 或更高角色，当前令牌为 ${principal.role}` });
    }
    return true;
  }
}
