import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Longest name (of a person, business, customer, bank account or API key) the API stores. */
export const MAX_NAME_LENGTH = 200;

/**
 * A name: trimmed, then 1 to 200 characters. Trimming happens here, as the input is validated,
 * because class-validator has no transform step and type-graphql hands this same input object to
 * the resolver: every service then stores the trimmed name, and "   " is refused instead of
 * being stored as ''.
 */
export function IsName(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isName',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          if (typeof value !== 'string') return false;
          const trimmed = value.trim();
          (args.object as Record<string, unknown>)[args.property] = trimmed;
          return trimmed.length >= 1 && trimmed.length <= MAX_NAME_LENGTH;
        },
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} must be 1 to ${MAX_NAME_LENGTH} characters, not only spaces`,
      },
    });
  };
}
