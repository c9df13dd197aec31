//! Named trace columns: one struct per component, read by the constraints and written by trace
//! generation in the same order, so the two can never disagree on a column's position.

/// Declares a struct of named columns, generic over the cell type. A field is `T` (one column),
/// `[N]` (N columns) or `{Other}` (another column struct, inlined). Generates `N_COLUMNS`, `read`
/// (consume columns in declaration order, as `EvalAtRow::next_trace_mask` does) and `write` (append
/// a row to per-column vectors).
macro_rules! columns {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:tt),* $(,)? }) => {
        $(#[$meta])*
        $vis struct $name<T> {
            $($(#[$fmeta])* pub(crate) $field: $crate::air::columns::columns!(@type T $ty),)*
        }

        // Written out because `derive` does not accept the field types' macros.
        impl<T: Clone> Clone for $name<T> {
            fn clone(&self) -> Self {
                Self { $($field: self.$field.clone(),)* }
            }
        }

        impl<T: Default + Copy> Default for $name<T> {
            fn default() -> Self {
                Self { $($field: Default::default(),)* }
            }
        }

        impl<T: std::fmt::Debug> std::fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))$(.field(stringify!($field), &self.$field))*.finish()
            }
        }

        #[allow(dead_code)]
        impl<T: Clone> $name<T> {
            /// The number of columns.
            pub(crate) const N_COLUMNS: usize = 0 $(+ $crate::air::columns::columns!(@count T $ty))*;

            /// Reads the columns in declaration order.
            pub(crate) fn read(next: &mut impl FnMut() -> T) -> Self {
                Self { $($field: $crate::air::columns::columns!(@read next $ty),)* }
            }

            /// Appends this row's cells to `columns` (one vector per column, in order).
            pub(crate) fn write<'a>(&self, columns: &mut impl Iterator<Item = &'a mut Vec<T>>)
            where
                T: 'a,
            {
                $($crate::air::columns::columns!(@write columns self.$field, $ty);)*
            }
        }
    };
    (@type $t:ident T) => { $t };
    (@type $t:ident [$n:literal]) => { [$t; $n] };
    (@type $t:ident {$other:ident}) => { $other<$t> };
    (@count $t:ident T) => { 1 };
    (@count $t:ident [$n:literal]) => { $n };
    (@count $t:ident {$other:ident}) => { $other::<$t>::N_COLUMNS };
    (@read $next:ident T) => { $next() };
    (@read $next:ident [$n:literal]) => { std::array::from_fn(|_| $next()) };
    (@read $next:ident {$other:ident}) => { $other::read($next) };
    (@write $columns:ident $value:expr, T) => {
        $columns.next().expect("a vector per column").push($value.clone());
    };
    (@write $columns:ident $value:expr, [$n:literal]) => {
        for cell in &$value {
            $columns.next().expect("a vector per column").push(cell.clone());
        }
    };
    (@write $columns:ident $value:expr, {$other:ident}) => {
        $value.write($columns);
    };
}

pub(crate) use columns;
