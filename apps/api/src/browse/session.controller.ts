import { Controller, Get, Req } from '@nestjs/common';
import { AuthedRequest } from '../auth/auth.guard';

/** Who the presented token belongs to: the web app signs in with it and shows what the role may do. */
@Controller('api/session')
export class SessionController {
  @Get()
  get(@Req() req: AuthedRequest) {
    return { name: req.principal!.name, role: req.principal!.role };
  }
}
