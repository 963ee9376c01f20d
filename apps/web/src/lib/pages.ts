import type { ComponentType } from 'react';
import type { Role } from './labels';

export type ParamValue = string | number | undefined | null;

export interface PageProps {
  /** The page's inputs from the address at navigation time. */
  params: Record<string, string>;
  /** Records the page's inputs in the address (shareable, survives reload) without re-mounting the page. */
  setParams(params: Record<string, ParamValue>): void;
}

export interface PageDef {
  route: string;
  title: string;
  minRole: Role;
  Component: ComponentType<PageProps>;
}
